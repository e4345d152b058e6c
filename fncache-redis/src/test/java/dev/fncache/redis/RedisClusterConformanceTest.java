package dev.fncache.redis;

import dev.fncache.tck.CacheBackendFixture;
import dev.fncache.tck.ConformanceSuite;

/** The whole conformance suite against a three-master Redis Cluster. */
class RedisClusterConformanceTest extends ConformanceSuite {

    @Override
    protected CacheBackendFixture backend() {
        return new RedisFixture(() -> SharedRedis.cluster().url());
    }
}
