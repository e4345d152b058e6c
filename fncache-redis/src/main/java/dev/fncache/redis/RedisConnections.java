package dev.fncache.redis;

import dev.fncache.CacheStatsRecorder;
import dev.fncache.spi.CacheStore;
import dev.fncache.spi.CacheUrl;
import dev.fncache.spi.Housekeeping;
import dev.fncache.spi.NearCacheBounds;
import dev.fncache.support.OpenResources;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The connections open in this JVM, one per URL, shared by every namespace opened on it and
 * closed with the last of them; and each open namespace's index sweep, on the housekeeping its
 * cache was opened with. Static because a connection belongs to the JVM, not to one cache: every
 * namespace on a URL shares one pipelined connection. Connecting runs outside any lock: an
 * unreachable server holds up only the caches opening that same URL.
 */
final class RedisConnections {
    private static final OpenResources<CacheUrl, SharedRedisConnection> OPEN = new OpenResources<>();
    private static final Map<RedisStore, Housekeeping.Task> SWEEPS = new ConcurrentHashMap<>();

    private RedisConnections() {
    }

    /** The namespace's store; behind a near cache when the URL asks for one ({@code ?nearCache=N}). */
    static CacheStore open(CacheUrl url, String namespace, Housekeeping housekeeping) {
        return open(url, namespace, housekeeping, CacheStatsRecorder.disabled(), null);
    }

    /**
     * As {@link #open(CacheUrl, String, Housekeeping)}, a near cache counting its hits into
     * {@code stats}; the builder's {@code nearCache} applies when the URL gives none.
     */
    static CacheStore open(CacheUrl url, String namespace, Housekeeping housekeeping, CacheStatsRecorder stats,
            @Nullable NearCacheBounds fromBuilder) {
        SharedRedisConnection connection = OPEN.acquire(url, u -> SharedRedisConnection.connect(RedisLocation.parse(u)));
        RedisStore store = new RedisStore(url, connection, namespace);
        SWEEPS.put(store, new IndexSweeper(store).schedule(housekeeping));
        NearCacheBounds fromUrl = connection.location().nearCache();
        NearCacheBounds nearCache = fromUrl != null ? fromUrl : fromBuilder;
        return nearCache == null ? store : NearCachedStore.open(store, nearCache, stats);
    }

    static void release(RedisStore store) {
        Housekeeping.Task sweep = SWEEPS.remove(store);
        if (sweep != null) {
            sweep.cancel();
        }
        OPEN.release(store.url(), store.connection(), SharedRedisConnection::close);
    }
}
