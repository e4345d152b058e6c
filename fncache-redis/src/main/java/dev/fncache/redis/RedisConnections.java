package dev.fncache.redis;

import dev.fncache.spi.CacheUrl;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * The connections open in this JVM, one per URL, shared by every namespace opened on it and
 * closed with the last of them; and each open namespace's index sweep.
 */
final class RedisConnections {
    private static final Map<CacheUrl, Shared> OPEN = new HashMap<>();
    private static final Map<RedisStore, ScheduledFuture<?>> SWEEPS = new HashMap<>();

    private RedisConnections() {
    }

    static synchronized RedisStore open(CacheUrl url, String namespace) {
        Shared shared = OPEN.get(url);
        if (shared == null) {
            shared = new Shared(url, RedisPort.connect(RedisLocation.parse(url)));
            OPEN.put(url, shared);
        }
        shared.references++;
        RedisStore store = new RedisStore(shared.port, namespace);
        SWEEPS.put(store, new IndexSweeper(store).schedule());
        return store;
    }

    static synchronized void release(RedisStore store) {
        ScheduledFuture<?> sweep = SWEEPS.remove(store);
        if (sweep != null) {
            sweep.cancel(false);
        }
        for (Shared shared : OPEN.values()) {
            if (shared.port == store.port()) {
                if (--shared.references == 0) {
                    OPEN.remove(shared.url);
                    shared.port.close();
                }
                return;
            }
        }
    }

    private static final class Shared {
        final CacheUrl url;
        final RedisPort port;
        int references;

        Shared(CacheUrl url, RedisPort port) {
            this.url = url;
            this.port = port;
        }
    }
}
