package dev.fncache.redis;

import dev.fncache.tck.CacheBackendFixture;
import java.util.function.Supplier;

/**
 * The conformance suite's view of a Redis store (a server or a cluster): TTLs on the server's
 * clock, a second instance through a second connection (a differently written URL is another
 * client), and the index invariant after each test.
 */
final class RedisFixture {
    private RedisFixture() {
    }

    static CacheBackendFixture of(Supplier<String> url) {
        return CacheBackendFixture.builder(url)
                .serverClock()
                .secondInstanceUrl(() -> url.get() + "?timeout=2000ms")
                .invariant((cache, namespace, now) -> RedisIndexCheck.assertEveryLiveValueIsIndexed(url.get(), namespace))
                .build();
    }
}
