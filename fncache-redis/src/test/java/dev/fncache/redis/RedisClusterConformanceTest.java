package dev.fncache.redis;

import dev.fncache.FunctionCache;
import dev.fncache.tck.CacheBackendFixture;
import dev.fncache.tck.ConformanceSuite;
import java.time.Instant;

/** The whole conformance suite against a three-master Redis Cluster. */
class RedisClusterConformanceTest extends ConformanceSuite {

    @Override
    protected CacheBackendFixture backend() {
        return new CacheBackendFixture() {
            @Override
            public String url() {
                return SharedRedis.cluster().url();
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
