package dev.fncache.redis;

import dev.fncache.tck.CacheBackendFixture;
import dev.fncache.tck.ConformanceSuite;
import org.junit.jupiter.api.Tag;

/** The whole conformance suite against a three-master Redis Cluster. */
@Tag("real-process")
class RedisClusterConformanceTest extends ConformanceSuite {

    @Override
    protected CacheBackendFixture backend() {
        return RedisFixture.of(() -> SharedRedis.cluster().url());
    }
}
