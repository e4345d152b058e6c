package dev.fncache.redis;

import dev.fncache.tck.CacheBackendFixture;
import dev.fncache.tck.ConformanceSuite;
import org.junit.jupiter.api.Tag;

/** The whole conformance suite against one standalone Redis server, on the server's clock. */
@Tag("real-process")
class RedisConformanceTest extends ConformanceSuite {

    @Override
    protected CacheBackendFixture backend() {
        return RedisFixture.of(() -> SharedRedis.server().url());
    }
}
