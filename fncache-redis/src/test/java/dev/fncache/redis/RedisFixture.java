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

    /** As {@link #of}, each instance with a near cache of 1,000 entries. */
    static CacheBackendFixture withNearCache(Supplier<String> url) {
        return CacheBackendFixture.builder(() -> url.get() + "?nearCache=1000")
                .serverClock()
                .secondInstanceUrl(() -> url.get() + "?nearCache=1000&timeout=2000ms")
                .staleReadsFor(java.time.Duration.ofMillis(NearCache.STALE_MILLIS))
                .invariant((cache, namespace, now) -> RedisIndexCheck.assertEveryLiveValueIsIndexed(url.get(), namespace))
                .build();
    }
}
