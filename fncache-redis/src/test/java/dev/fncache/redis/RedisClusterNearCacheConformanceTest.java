package dev.fncache.redis;

import dev.fncache.tck.CacheBackendFixture;
import dev.fncache.tck.ConformanceSuite;
import org.junit.jupiter.api.Tag;

/** The whole conformance suite against a three-master Redis Cluster, each instance with a near cache. */
@Tag("real-process")
class RedisClusterNearCacheConformanceTest extends ConformanceSuite {

    @Override
    protected CacheBackendFixture backend() {
        return RedisFixture.withNearCache(() -> SharedRedis.cluster().url());
    }
}
