package dev.fncache.redis;

import dev.fncache.spi.CacheUrl;
import dev.fncache.spi.OpenResources;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * The connections open in this JVM, one per URL, shared by every namespace opened on it and
 * closed with the last of them; and each open namespace's index sweep. Connecting runs outside
 * any lock: an unreachable server holds up only the caches opening that same URL.
 */
final class RedisConnections {
    private static final OpenResources<CacheUrl, SharedRedisConnection> OPEN = new OpenResources<>();
    private static final Map<RedisStore, ScheduledFuture<?>> SWEEPS = new ConcurrentHashMap<>();

    private RedisConnections() {
    }

    static RedisStore open(CacheUrl url, String namespace) {
        SharedRedisConnection connection = OPEN.acquire(url, u -> SharedRedisConnection.connect(RedisLocation.parse(u)));
        RedisStore store = new RedisStore(url, connection, namespace);
        SWEEPS.put(store, new IndexSweeper(store).schedule());
        return store;
    }

    static void release(RedisStore store) {
        ScheduledFuture<?> sweep = SWEEPS.remove(store);
        if (sweep != null) {
            sweep.cancel(false);
        }
        OPEN.release(store.url(), store.connection(), SharedRedisConnection::close);
    }
}
