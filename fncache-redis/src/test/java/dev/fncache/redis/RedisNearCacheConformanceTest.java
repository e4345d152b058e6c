package dev.fncache.redis;

import dev.fncache.tck.CacheBackendFixture;
import dev.fncache.tck.ConformanceSuite;
import org.junit.jupiter.api.Tag;

/** The whole conformance suite against one standalone Redis server, each instance with a near cache. */
@Tag("real-process")
class RedisNearCacheConformanceTest extends ConformanceSuite {

    @Override
    protected CacheBackendFixture backend() {
        return RedisFixture.withNearCache(() -> SharedRedis.server().url());
    }
}
