package dev.fncache.redis;

import dev.fncache.FunctionCache;
import dev.fncache.tck.CacheBackendFixture;
import dev.fncache.tck.ConformanceSuite;
import java.time.Instant;

/** The whole conformance suite against one standalone Redis server, on the server's clock. */
class RedisConformanceTest extends ConformanceSuite {

    @Override
    protected CacheBackendFixture backend() {
        return new CacheBackendFixture() {
            @Override
            public String url() {
                return SharedRedis.server().url();
            }

            @Override
            public boolean obeysInjectedClock() {
                return false;
            }

            /** The same server through a second connection: a differently written URL is another client. */
            @Override
            public String secondInstanceUrl() {
                return url() + "?timeout=2000ms";
            }

            @Override
            public void assertInvariants(FunctionCache cache, String namespace, Instant now) {
                RedisIndexCheck.assertEveryLiveValueIsIndexed(url(), namespace);
            }
        };
    }
}
