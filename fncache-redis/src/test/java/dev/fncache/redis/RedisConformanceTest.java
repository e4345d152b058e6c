package dev.fncache.redis;

import dev.fncache.tck.CacheBackendFixture;
import dev.fncache.tck.ConformanceSuite;

/** The whole conformance suite against one standalone Redis server, on the server's clock. */
class RedisConformanceTest extends ConformanceSuite {

    @Override
    protected CacheBackendFixture backend() {
        return new RedisFixture(() -> SharedRedis.server().url());
    }
}
