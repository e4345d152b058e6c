package dev.fncache.redis;

import dev.fncache.FunctionCache;
import dev.fncache.tck.CacheBackendFixture;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The conformance suite's view of a Redis store (a server or a cluster): TTLs on the server's
 * clock, a second instance through a second connection, and the index invariant after each test.
 */
final class RedisFixture implements CacheBackendFixture {
    private final Supplier<String> url;

    RedisFixture(Supplier<String> url) {
        this.url = url;
    }

    @Override
    public String url() {
        return url.get();
    }

    @Override
    public boolean obeysInjectedClock() {
        return false;
    }

    /** The same store through a second connection: a differently written URL is another client. */
    @Override
    public String secondInstanceUrl() {
        return url() + "?timeout=2000ms";
    }

    @Override
    public void assertInvariants(FunctionCache cache, String namespace, Instant now) {
        RedisIndexCheck.assertEveryLiveValueIsIndexed(url(), namespace);
    }
}
