package dev.fncache.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheUnavailableException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.redis.RedisClusterProcess;
import dev.fncache.redis.RedisServerProcess;
import io.micrometer.core.instrument.Tag;
import dev.fncache.CacheStatsRecorder;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The binder on every backend: known traffic gives exactly the counts it should. */
@org.junit.jupiter.api.Tag("real-process")
class FunctionCacheMetricsTest {
    @TempDir
    static Path directory;
    private static RedisServerProcess redis;
    private static RedisClusterProcess cluster;

    @AfterAll
    static void stopServers() {
        if (redis != null) {
            redis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static synchronized String url(String backend) {
        switch (backend) {
            case "memory":
                return "memory:metrics-" + UUID.randomUUID();
            case "sqlite":
                return "sqlite:" + directory.resolve("metrics.db");
            case "redis":
                if (redis == null) {
                    redis = RedisServerProcess.start();
                }
                return redis.url();
            default:
                if (cluster == null) {
                    cluster = RedisClusterProcess.start();
                }
                return cluster.url();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"memory", "sqlite", "redis", "redis-cluster"})
    void knownTrafficGivesExactCounts(String backend) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String namespace = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
        try (FunctionCache cache = FunctionCaches.builder().url(url(backend)).namespace(namespace)
                .stats(FunctionCacheMetrics.recorder(registry, 1, Tag.of("host", "test"))).build()) {
            cache.set("a", 1, 60);
            cache.set("b", "two", 60);
            assertThat(cache.get("a", Integer.class)).isEqualTo(1);
            assertThat(cache.get("missing", Integer.class)).isNull();
            assertThat(cache.getMany(List.of("a", "b", "c", "a"), Object.class)).hasSize(2);
            assertThat(cache.getOrSet("loaded", String.class, 60, () -> "x")).isEqualTo("x");
            assertThat(cache.getOrSet("loaded", String.class, 60, () -> "never")).isEqualTo("x");
            assertThat(cache.getOrSet("nothing", String.class, 60, () -> null)).isNull();
            assertThat(cache.delete("a")).isTrue();
            assertThat(cache.delete("a")).isFalse();
            assertThatThrownBy(() -> cache.set("", 1, 60)).isInstanceOf(IllegalArgumentException.class);
            cache.setMany(java.util.Map.of("m1", 1, "m2", 2), 60);
            assertThat(cache.deleteAll("m*")).isEqualTo(2);
        }

        String scheme = backend;
        assertThat(count(registry, "cache.gets", namespace, scheme, "result", "hit")).isEqualTo(4);
        assertThat(count(registry, "cache.gets", namespace, scheme, "result", "miss")).isEqualTo(4);
        assertThat(registry.get("cache.puts").tags("cache", namespace, "backend", scheme, "host", "test").counter().count())
                .isEqualTo(5);
        assertThat(registry.get("cache.removals").tags("cache", namespace, "backend", scheme).counter().count()).isEqualTo(3);
        assertThat(registry.get("cache.load").tags("cache", namespace, "result", "success").timer().count()).isEqualTo(1);
        assertThat(registry.get("cache.load").tags("cache", namespace, "result", "failure").timer().count()).isEqualTo(1);
        assertThat(operation(registry, namespace, "set", "ok").count()).isEqualTo(2);
        assertThat(operation(registry, namespace, "set", "invalid").count()).isEqualTo(1);
        assertThat(operation(registry, namespace, "get", "ok").count()).isEqualTo(2);
        assertThat(operation(registry, namespace, "getOrSet", "ok").count()).isEqualTo(3);
        assertThat(operation(registry, namespace, "get", "ok").totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
                .isPositive();
    }

    @Test
    void aStoreThatCannotBeReachedIsCountedAsUnavailable() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RedisServerProcess server = RedisServerProcess.start();
                FunctionCache cache = FunctionCaches.builder().url(server.url() + "?timeout=500ms").namespace("down")
                        .stats(FunctionCacheMetrics.recorder(registry)).build()) {
            cache.set("k", 1, 60);
            server.kill();
            assertThatThrownBy(() -> cache.get("k", Integer.class)).isInstanceOf(CacheUnavailableException.class);
            assertThat(cache.rateLimit("sms", dev.fncache.RateLimitRule.fixedWindow(5, java.time.Duration.ofMinutes(1))
                    .whenUnavailable(dev.fncache.RateLimitRule.WhenUnavailable.DENY)).allowed()).isFalse();
            assertThat(cache.peekRateLimit("sms", dev.fncache.RateLimitRule.fixedWindow(5, java.time.Duration.ofMinutes(1))
                    .whenUnavailable(dev.fncache.RateLimitRule.WhenUnavailable.ALLOW)).allowed()).isTrue();
        }
        assertThat(registry.get("fncache.ratelimit.unavailable").tags("cache", "down", "answer", "allowed").counter().count())
                .isEqualTo(1);
        assertThat(operation(registry, "down", "peekRateLimit", "unavailable").count()).isEqualTo(1);
        assertThat(registry.get("fncache.ratelimit.unavailable").tags("cache", "down", "answer", "denied").counter().count())
                .isEqualTo(1);
        assertThat(operation(registry, "down", "get", "unavailable").count()).isEqualTo(1);
        assertThat(operation(registry, "down", "get", "ok").count()).isZero();
        assertThat(count(registry, "cache.gets", "down", "redis", "result", "miss")).isZero();
    }

    /**
     * Regression: meters that read counts kept by the recorder (Micrometer's function meters)
     * lost a closed cache's counts once it was collected, and a reopened cache's new recorder
     * was never read, because registering the same meter again returns the first one.
     */
    @Test
    void aRedisNearCacheCountsItsHitsMissesAndEvictionsAndACacheWithoutOneShowsNone() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RedisServerProcess server = RedisServerProcess.start();
                FunctionCache cache = FunctionCaches.builder().url(server.url() + "?nearCache=2").namespace("near")
                        .stats(FunctionCacheMetrics.recorder(registry)).build();
                FunctionCache plain = FunctionCaches.builder().url("memory:metrics-near").namespace("plain")
                        .stats(FunctionCacheMetrics.recorder(registry)).build()) {
            plain.set("k", 1, 60);
            plain.get("k", Integer.class);
            assertThat(registry.find("fncache.nearcache.gets").counters()).isEmpty();
            cache.setMany(java.util.Map.of("a", 1, "b", 2, "c", 3), 60);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (registry.find("fncache.nearcache.gets").tag("result", "hit").counters().isEmpty()
                    || registry.get("fncache.nearcache.gets").tag("result", "hit").counter().count() == 0) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                for (String key : List.of("a", "b", "c")) {
                    cache.get(key, Integer.class);
                }
                Thread.sleep(2);
            }
            assertThat(registry.get("fncache.nearcache.gets").tags("cache", "near", "result", "miss").counter().count())
                    .isPositive();
            assertThat(registry.get("fncache.nearcache.evictions").tags("cache", "near").counter().count())
                    .as("three keys read through a near cache of two").isPositive();
            assertThat(registry.find("fncache.nearcache.gets").tags("cache", "plain").counters()).isEmpty();
        }
    }

    @Test
    void countsSurviveTheCacheAndAReopenedCacheKeepsCounting() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String store = "memory:metrics-reopen-" + UUID.randomUUID();
        for (int open = 0; open < 2; open++) {
            try (FunctionCache cache = FunctionCaches.builder().url(store).namespace("reopened")
                    .stats(FunctionCacheMetrics.recorder(registry, 1)).build()) {
                cache.set("k", open, 60);
                assertThat(cache.get("k", Integer.class)).isEqualTo(open);
            }
            System.gc();
        }
        assertThat(registry.get("cache.puts").tags("cache", "reopened").counter().count()).isEqualTo(2);
        assertThat(count(registry, "cache.gets", "reopened", "memory", "result", "hit")).isEqualTo(2);
        assertThat(operation(registry, "reopened", "set", "ok").count()).isEqualTo(2);
        assertThat(operation(registry, "reopened", "set", "ok").totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
                .isPositive();
    }

    @Test
    void oneCallInSixteenIsTimedAndEachTimedCallCountsForSixteen() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CacheStatsRecorder recorder = FunctionCacheMetrics.recorder(registry).create("sampled", "memory");
        int timed = 0;
        for (int call = 0; call < 16_000; call++) {
            if (recorder.timesNextOperation()) {
                timed++;
            }
        }
        // one in 16 of 16,000 is 1,000 on average, with a standard deviation of 31
        assertThat(timed).isBetween(800, 1_200);

        for (int call = 0; call < 3; call++) {
            recorder.recordOperation(CacheStatsRecorder.Operation.GET, CacheStatsRecorder.Outcome.OK, 100);
        }
        for (int call = 0; call < 5; call++) {
            recorder.recordOperation(CacheStatsRecorder.Operation.GET, CacheStatsRecorder.Outcome.OK, -1);
        }
        FunctionTimer gets = operation(registry, "sampled", "get", "ok");
        assertThat(gets.count()).isEqualTo(8);
        assertThat(gets.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isEqualTo(3 * 100 * 16);
    }

    @Test
    void aTimedSampleOutsideOneToOneThousandTwentyFourIsRefused() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        assertThatThrownBy(() -> FunctionCacheMetrics.recorder(registry, 0))
                .hasMessage("timedOneIn must be between 1 and 1024, but was 0");
        assertThatThrownBy(() -> FunctionCacheMetrics.recorder(registry, 1_025))
                .hasMessage("timedOneIn must be between 1 and 1024, but was 1025");
    }

    @Test
    void aCacheWithoutARecorderHasTheDisabledOne() {
        try (FunctionCache cache = FunctionCaches.open("memory:", "plain")) {
            assertThat(cache.getClass().getSimpleName()).isEqualTo("StoreBackedCache");
        }
        assertThat(CacheStatsRecorder.disabled().timesNextOperation()).isFalse();
    }

    private static double count(SimpleMeterRegistry registry, String name, String namespace, String backend,
            String tag, String value) {
        return registry.get(name).tags("cache", namespace, "backend", backend, tag, value).counter().count();
    }

    private static FunctionTimer operation(SimpleMeterRegistry registry, String namespace, String operation, String outcome) {
        return registry.get("fncache.operation").tags("cache", namespace, "operation", operation, "outcome", outcome)
                .functionTimer();
    }
}
