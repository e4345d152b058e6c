package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fncache.CacheUnavailableException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A server that dies, hangs or comes back, under a running client. */
@Tag("real-process")
class RedisFaultTest {

    /** Retries {@code set("after", 2)} while the client reconnects; true once it succeeds. */
    private static boolean setSucceedsWithin(FunctionCache cache, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                cache.set("after", 2);
                return true;
            } catch (CacheUnavailableException stillReconnecting) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    private static Duration timed(Runnable call) {
        long started = System.nanoTime();
        call.run();
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * Regression: opening held one JVM-wide lock while it connected, so one server that accepts
     * connections and never answers stalled every other open. Fifty opens of such a server now
     * wait for one shared attempt, while a working server and a memory cache open at once.
     */
    @Test
    void fiftyOpensOfAnUnresponsiveServerDoNotHoldUpOpensOfOtherStores() throws Exception {
        try (RedisServerProcess working = RedisServerProcess.start();
                java.net.ServerSocket silent = new java.net.ServerSocket(0, 100,
                        java.net.InetAddress.getLoopbackAddress())) {
            String unresponsive = "redis://127.0.0.1:" + silent.getLocalPort() + "?timeout=3s";
            java.util.concurrent.ExecutorService openers = java.util.concurrent.Executors.newFixedThreadPool(50);
            try {
                java.util.concurrent.CountDownLatch allStarted = new java.util.concurrent.CountDownLatch(50);
                List<java.util.concurrent.Future<Throwable>> stuck = new java.util.ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    String namespace = "fn" + i;
                    stuck.add(openers.submit(() -> {
                        allStarted.countDown();
                        try {
                            FunctionCaches.open(unresponsive, namespace).close();
                            return null;
                        } catch (CacheUnavailableException expected) {
                            return expected;
                        }
                    }));
                }
                assertThat(allStarted.await(5, TimeUnit.SECONDS)).isTrue();
                Thread.sleep(200);
                Duration memory = timed(() -> FunctionCaches.open("memory:opens-at-once", "fn").close());
                Duration redis = timed(() -> {
                    try (FunctionCache cache = FunctionCaches.open(working.url(), "fn")) {
                        cache.set("k", 1);
                    }
                });
                assertThat(memory).as("memory open while 50 wait for a silent server").isLessThan(Duration.ofMillis(500));
                assertThat(redis).as("another server's open meanwhile").isLessThan(Duration.ofMillis(1_500));
                for (java.util.concurrent.Future<Throwable> open : stuck) {
                    assertThat(open.get(20, TimeUnit.SECONDS)).as("each silent open fails as unavailable")
                            .isInstanceOf(CacheUnavailableException.class);
                }
            } finally {
                openers.shutdownNow();
            }
        }
    }

    /** CONTRACT rule 27: with the store down, a rate limit throws, allows or denies as its rule says (FunctionCacheMetricsTest counts it). */
    @Test
    void withTheServerDownARateLimitAnswersAsItsRuleSays() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start();
                FunctionCache cache = FunctionCaches.open(server.url() + "?timeout=300ms", "fn")) {
            dev.fncache.RateLimitRule rule = dev.fncache.RateLimitRule.tokenBucket(10, 1, Duration.ofSeconds(1));
            assertThat(cache.rateLimit("sms", rule).remaining()).isEqualTo(9);
            server.kill();
            assertThatThrownBy(() -> cache.rateLimit("sms", rule)).isInstanceOf(CacheUnavailableException.class);
            dev.fncache.RateLimit allowed = cache.rateLimit("sms", rule.whenUnavailable(dev.fncache.RateLimitRule.WhenUnavailable.ALLOW));
            dev.fncache.RateLimit denied = cache.peekRateLimit("sms", rule.whenUnavailable(dev.fncache.RateLimitRule.WhenUnavailable.DENY));
            assertThat(allowed.allowed()).isTrue();
            assertThat(denied.allowed()).isFalse();
        }
    }

    @Test
    void downServerFailsEveryCallQuicklyAndTheSameCacheWorksWhenItIsBack() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start();
                FunctionCache cache = FunctionCaches.open(server.url(), "fn")) {
            cache.set("before", 1);
            server.kill();
            List<Runnable> calls = List.of(() -> cache.get("before", Integer.class), () -> cache.set("k", 1),
                    () -> cache.increment("n", 1, 60), cache::keys, () -> cache.has("k"));
            for (Runnable call : calls) {
                Duration took = timed(() -> assertThatThrownBy(call::run)
                        .isInstanceOf(CacheUnavailableException.class)
                        .hasMessageContaining(server.url())
                        .hasCauseInstanceOf(io.lettuce.core.RedisException.class));
                assertThat(took).isLessThan(Duration.ofMillis(2_500));
            }
            server.restart();
            assertThat(setSucceedsWithin(cache, Duration.ofSeconds(15)))
                    .as("the cache works again without being reopened").isTrue();
            assertThat(cache.get("after", Integer.class)).isEqualTo(2);
            assertThat(cache.increment("n", 5, 60)).isEqualTo(5);
        }
    }

    @Test
    void clusterWhoseMastersDieFailsCallsAndTheSameCacheWorksWhenTheyRejoin() throws Exception {
        try (RedisClusterProcess cluster = RedisClusterProcess.start();
                FunctionCache cache = FunctionCaches.open(cluster.url(), "fn")) {
            cache.set("before", 1);
            for (RedisServerProcess master : cluster.masters()) {
                master.kill();
            }
            Duration took = timed(() -> assertThatThrownBy(() -> cache.get("before", Integer.class))
                    .isInstanceOf(CacheUnavailableException.class)
                    .hasMessageContaining("redis-cluster://"));
            assertThat(took).isLessThan(Duration.ofMillis(2_500));
            for (RedisServerProcess master : cluster.masters()) {
                master.restart();
            }
            assertThat(setSucceedsWithin(cache, Duration.ofSeconds(45)))
                    .as("the cluster cache works again without being reopened").isTrue();
            assertThat(cache.get("after", Integer.class)).isEqualTo(2);
        }
    }

    @Test
    void hungServerFailsAfterTheCommandTimeoutInsteadOfHanging() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start();
                FunctionCache cache = FunctionCaches.open(server.url() + "?timeout=500ms", "fn")) {
            cache.set("k", 1);
            long pid = pidOf(server);
            RedisServerProcess.run(List.of("kill", "-STOP", Long.toString(pid)));
            try {
                Duration took = timed(() -> assertThatThrownBy(() -> cache.get("k", Integer.class))
                        .isInstanceOf(CacheUnavailableException.class)
                        .hasMessageContaining("no answer within the command timeout of 500 ms"));
                assertThat(took).isBetween(Duration.ofMillis(450), Duration.ofMillis(2_000));
            } finally {
                RedisServerProcess.run(List.of("kill", "-CONT", Long.toString(pid)));
            }
            assertThat(cache.get("k", Integer.class)).isEqualTo(1);
        }
    }

    @Test
    void defaultCommandTimeoutIsTwoSeconds() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start();
                FunctionCache cache = FunctionCaches.open(server.url(), "fn")) {
            cache.set("k", 1);
            long pid = pidOf(server);
            RedisServerProcess.run(List.of("kill", "-STOP", Long.toString(pid)));
            try {
                Duration took = timed(() -> assertThatThrownBy(() -> cache.set("k", 2))
                        .isInstanceOf(CacheUnavailableException.class)
                        .hasMessageContaining("2000 ms"));
                assertThat(took).isBetween(Duration.ofMillis(1_900), Duration.ofMillis(3_500));
            } finally {
                RedisServerProcess.run(List.of("kill", "-CONT", Long.toString(pid)));
            }
        }
    }

    @Test
    void aTimedOutWriteSaysItsOutcomeIsUnknownAndMayStillApply() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start();
                FunctionCache cache = FunctionCaches.open(server.url() + "?timeout=300ms", "fn")) {
            cache.increment("counter", 1, 600);
            long pid = pidOf(server);
            RedisServerProcess.run(List.of("kill", "-STOP", Long.toString(pid)));
            try {
                for (int i = 0; i < 3; i++) {
                    CacheUnavailableException failure = catchThrowableOfType(CacheUnavailableException.class,
                            () -> cache.increment("counter", 1, 600));
                    assertThat(failure.outcomeUnknown()).as("a write sent without an answer").isTrue();
                    assertThat(failure).hasMessageContaining("the write may still have been applied");
                }
                CacheUnavailableException read = catchThrowableOfType(CacheUnavailableException.class,
                        () -> cache.get("counter", Long.class));
                assertThat(read.outcomeUnknown()).as("a read changes nothing").isFalse();
            } finally {
                RedisServerProcess.run(List.of("kill", "-CONT", Long.toString(pid)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            long counter = 0;
            while (counter != 4 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                counter = cache.get("counter", Long.class);
            }
            assertThat(counter).as("the three 'failed' increments were applied once the server resumed").isEqualTo(4);
            server.kill();
            CacheUnavailableException refused = catchThrowableOfType(CacheUnavailableException.class,
                    () -> cache.increment("counter", 1, 600));
            assertThat(refused.outcomeUnknown()).as("a write refused while disconnected was never sent").isFalse();
        }
    }

    /**
     * Regression: setMany, deleteMany and deleteAll said outcomeUnknown() == false after a timeout,
     * though they applied. CLIENT PAUSE WRITE holds the writes (reads go on, so the literal
     * pattern's listing, an EXISTS, answers), so each call times out after sending its write, which
     * Redis applies once the pause ends. deleteAll goes first: the client's later commands queue
     * behind a paused one on the shared connection.
     */
    @Test
    void aTimedOutBulkWriteSaysItsOutcomeIsUnknownAndItIsAppliedOnceTheServerResumes() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start();
                FunctionCache cache = FunctionCaches.open(server.url() + "?timeout=300ms", "fn")) {
            cache.setMany(java.util.Map.of("gone:1", 1, "gone:2", 2, "pattern:1", 1, "pattern:2", 2), 600);
            List<org.junit.jupiter.api.function.Executable> writes = List.of(
                    () -> cache.deleteAll("pattern:1"),
                    () -> cache.setMany(java.util.Map.of("bulk:1", 1, "bulk:2", 2), 600),
                    () -> cache.deleteMany(List.of("gone:1", "gone:2")));
            server.cli("CLIENT", "PAUSE", "3000", "WRITE");
            for (org.junit.jupiter.api.function.Executable write : writes) {
                CacheUnavailableException failure = catchThrowableOfType(CacheUnavailableException.class, write::execute);
                assertThat(failure.outcomeUnknown()).as("a bulk write sent without an answer: %s", failure.getMessage()).isTrue();
                assertThat(failure).hasMessageContaining("the write may still have been applied");
            }
            server.cli("CLIENT", "UNPAUSE");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (cache.keys().size() != 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(cache.keys()).as("every 'failed' bulk write was applied").containsExactly("bulk:1", "bulk:2", "pattern:2");
        }
    }

    @Test
    void unreachableServerAtOpenIsUnavailableNamingIt() {
        int port = RedisServerProcess.freePortPair();
        assertThatThrownBy(() -> FunctionCaches.open("redis://:pw@127.0.0.1:" + port, "fn"))
                .isInstanceOf(CacheUnavailableException.class)
                .hasMessageContaining("redis://:***@127.0.0.1:" + port)
                .hasMessageContaining("cannot connect")
                .hasMessageNotContaining(":pw@");
    }

    private static long pidOf(RedisServerProcess server) {
        return Long.parseLong(server.cli("info", "server").lines()
                .filter(line -> line.startsWith("process_id:")).findFirst().orElseThrow()
                .substring("process_id:".length()).strip());
    }
}
