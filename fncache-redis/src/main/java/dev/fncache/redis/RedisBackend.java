package dev.fncache.redis;

import dev.fncache.CacheCheck;
import dev.fncache.spi.CacheBackend;
import dev.fncache.spi.CacheStore;
import dev.fncache.spi.StoreConfig;
import java.util.List;
import java.util.Set;

/**
 * The Redis backend for {@code redis://}, {@code rediss://} (TLS), {@code redis-cluster://} and
 * {@code redis-sentinel://} URLs: a cache shared by every instance on every host. TTLs follow the server's clock.
 */
public final class RedisBackend implements CacheBackend {

    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss", "redis-cluster", "redis-sentinel");
    }

    @Override
    public CacheStore open(StoreConfig config) {
        return RedisConnections.open(config.url(), config.namespace(), config.housekeeping(), config.stats(),
                config.nearCache());
    }

    @Override
    public List<CacheCheck> checks(StoreConfig config) {
        return RedisDoctor.check(config.url(), config.namespace());
    }
}
