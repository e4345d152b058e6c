package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheLoadTimeoutException;
import dev.fncache.FunctionCache;
import dev.fncache.LoadPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT rule 25: getOrSet under a {@link LoadPolicy}: stale answers when loading fails, soft
 * and hard timeouts, refresh ahead. Values expire by the injected clock where the backend obeys
 * it, else by waiting out a real TTL of 1 s.
 */
public abstract class LoadPolicyContract extends ContractSupport {
    private static final Duration TTL = Duration.ofSeconds(1);
    private static final LoadPolicy FAIL_SAFE = LoadPolicy.ttl(TTL).staleFor(Duration.ofHours(1));

    /** Lets the value of TTL expire: the injected clock moves past it, or the real TTL passes. */
    private void expire() {
        if (backend().obeysInjectedClock()) {
            advance(TTL.plusMillis(1));
        } else {
            sleep(TTL.plusMillis(150));
        }
    }

    private static Supplier<String> failing() {
        return () -> {
            throw new IllegalStateException("directory down");
        };
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    /** Polls until the key holds {@code expected}, for values a background load stores. */
    private static void awaitValue(FunctionCache cache, String key, String expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!expected.equals(cache.get(key, String.class))) {
            assertThat(System.nanoTime()).as("the late value %s is stored", expected).isLessThan(deadline);
            sleep(Duration.ofMillis(10));
        }
    }

    @Test
    void aPolicyOfATtlAloneIsThePlainGetOrSet() {
        assertThat(cache.getOrSet("k", String.class, LoadPolicy.ttl(Duration.ofSeconds(60)), () -> "v")).isEqualTo("v");
        assertRemaining(cache, "k", Duration.ofSeconds(60));
        assertThat(cache.getOrSet("k", String.class, LoadPolicy.ttl(Duration.ofSeconds(60)), failing())).isEqualTo("v");
    }

    @Test
    void whenTheLoaderThrowsAfterExpiryTheStaleValueIsAnsweredAndStaysAbsentForEveryOtherRead() {
        cache.getOrSet("customer", String.class, FAIL_SAFE, () -> "Alice");
        expire();
        assertThat(cache.getOrSet("customer", String.class, FAIL_SAFE, failing())).isEqualTo("Alice");
        assertThat(cache.get("customer", String.class)).isNull();
        assertThat(cache.has("customer")).isFalse();
        assertThat(cache.getEntry("customer", String.class)).isNull();
        assertThat(cache.ttl("customer")).isNull();
        assertThat(cache.keys()).doesNotContain("customer");
    }

    @Test
    void whenTheLoaderReturnsNullAfterExpiryTheStaleValueIsAnswered() {
        cache.getOrSet("customer", String.class, FAIL_SAFE, () -> "Alice");
        expire();
        assertThat(cache.getOrSet("customer", String.class, FAIL_SAFE, () -> null)).isEqualTo("Alice");
        assertThat(cache.has("customer")).isFalse();
    }

    @Test
    void aValueReadByGetOrSetIsKeptAsWellAsOneItLoaded() {
        cache.set("customer", "Alice", TTL);
        assertThat(cache.getOrSet("customer", String.class, FAIL_SAFE, failing())).isEqualTo("Alice");
        expire();
        assertThat(cache.getOrSet("customer", String.class, FAIL_SAFE, failing())).isEqualTo("Alice");
    }

    @Test
    void withNoStaleValueAtHandTheLoadersFailurePropagates() {
        assertThatThrownBy(() -> cache.getOrSet("customer", String.class, FAIL_SAFE, failing()))
                .isInstanceOf(IllegalStateException.class).hasMessage("directory down");
        FunctionCache other = openSecondInstance(namespace);
        cache.getOrSet("customer", String.class, FAIL_SAFE, () -> "Alice");
        expire();
        assertThatThrownBy(() -> other.getOrSet("customer", String.class, FAIL_SAFE, failing()))
                .as("stale copies are per instance: this one never saw the value")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onceTheStalePeriodHasPassedTheLoadersFailurePropagates() {
        assumeInjectedClock();
        cache.getOrSet("customer", String.class, FAIL_SAFE, () -> "Alice");
        advance(TTL.plus(Duration.ofHours(1)).minusMillis(1));
        assertThat(cache.getOrSet("customer", String.class, FAIL_SAFE, failing())).isEqualTo("Alice");
        advance(Duration.ofMillis(1));
        assertThatThrownBy(() -> cache.getOrSet("customer", String.class, FAIL_SAFE, failing()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDeleteOrAWriteThroughThisInstanceDiscardsItsStaleCopy() {
        for (String way : List.of("delete", "deleteMany", "deleteAll", "set")) {
            String key = "k-" + way;
            cache.getOrSet(key, String.class, FAIL_SAFE, () -> "old");
            switch (way) {
                case "delete" -> cache.delete(key);
                case "deleteMany" -> cache.deleteMany(List.of(key));
                case "deleteAll" -> {
                    expire();
                    cache.deleteAll("k-deleteA*");
                }
                default -> cache.set(key, "new", TTL);
            }
            expire();
            assertThatThrownBy(() -> cache.getOrSet(key, String.class, FAIL_SAFE, failing()))
                    .as("after %s, no stale copy is left", way).isInstanceOf(IllegalStateException.class);
        }
    }

    /** Regression: the threads that shared the loading thread's flight got null instead of its value. */
    @Test
    void sixteenThreadsMissingTogetherShareOneLoadAndAllGetItsValue() throws Exception {
        for (LoadPolicy policy : List.of(FAIL_SAFE, LoadPolicy.ttl(Duration.ofSeconds(60)).hardTimeout(Duration.ofSeconds(5)))) {
            String key = "k-" + policy.hashCode();
            AtomicInteger loads = new AtomicInteger();
            List<Callable<String>> threads = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                threads.add(() -> cache.getOrSet(key, String.class, policy, () -> {
                    loads.incrementAndGet();
                    sleep(Duration.ofMillis(100));
                    return "loaded";
                }));
            }
            assertThat(together(threads)).as("answers under %s", policy).hasSize(16).containsOnly("loaded");
            assertThat(loads).as("loads under %s", policy).hasValue(1);
        }
    }

    @Test
    void tenThousandCallsFromSixteenThreadsWhileTheLoaderThrowsAllAnswerTheStaleValue() throws Exception {
        cache.getOrSet("customer", String.class, FAIL_SAFE, () -> "Alice");
        expire();
        AtomicInteger calls = new AtomicInteger();
        List<Callable<Integer>> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            threads.add(() -> {
                int stale = 0;
                while (calls.incrementAndGet() <= 10_000) {
                    if ("Alice".equals(cache.getOrSet("customer", String.class, FAIL_SAFE, failing()))) {
                        stale++;
                    }
                }
                return stale;
            });
        }
        assertThat(together(threads).stream().mapToInt(Integer::intValue).sum()).isEqualTo(10_000);
    }

    @Test
    void pastTheSoftTimeoutTheStaleValueIsAnsweredAndTheLateValueIsStoredWhenItArrives() throws Exception {
        LoadPolicy policy = FAIL_SAFE.softTimeout(Duration.ofMillis(100));
        cache.getOrSet("customer", String.class, policy, () -> "Alice");
        expire();
        CountDownLatch directory = new CountDownLatch(1);
        long started = System.nanoTime();
        String answer = cache.getOrSet("customer", String.class, policy, () -> {
            await(directory);
            return "Alicia";
        });
        long tookMillis = millisSince(started);
        assertThat(answer).isEqualTo("Alice");
        assertThat(tookMillis).as("answered at the soft timeout").isBetween(100L, 600L);
        directory.countDown();
        awaitValue(cache, "customer", "Alicia");
    }

    @Test
    void withNoStaleValueTheHardTimeoutEndsTheCallAndTheLateValueIsStoredWhenItArrives() {
        LoadPolicy policy = LoadPolicy.ttl(Duration.ofSeconds(60)).hardTimeout(Duration.ofMillis(200));
        CountDownLatch directory = new CountDownLatch(1);
        long started = System.nanoTime();
        assertThatThrownBy(() -> cache.getOrSet("customer", String.class, policy, () -> {
            await(directory);
            return "Alice";
        })).isInstanceOf(CacheLoadTimeoutException.class).hasMessageContaining("hardTimeout PT0.2S");
        assertThat(millisSince(started)).as("gave up at the hard timeout").isBetween(200L, 700L);
        directory.countDown();
        awaitValue(cache, "customer", "Alice");
    }

    @Test
    void aCallerOnAnotherInstanceWaitingForTheLoadAlsoAnswersStaleAtTheSoftTimeout() throws Exception {
        LoadPolicy policy = FAIL_SAFE.softTimeout(Duration.ofMillis(150));
        FunctionCache other = openSecondInstance(namespace);
        cache.getOrSet("customer", String.class, policy, () -> "Alice");
        other.getOrSet("customer", String.class, policy, failing());
        expire();
        CountDownLatch directory = new CountDownLatch(1);
        CountDownLatch loading = new CountDownLatch(1);
        try {
            List<String> answers = together(List.<Callable<String>>of(
                    () -> cache.getOrSet("customer", String.class, policy, () -> {
                        loading.countDown();
                        await(directory);
                        return "Alicia";
                    }),
                    () -> {
                        assertThat(loading.await(5, TimeUnit.SECONDS)).as("the first instance is loading").isTrue();
                        long started = System.nanoTime();
                        String answer = other.getOrSet("customer", String.class, policy, () -> {
                            throw new AssertionError("the other instance holds the lease");
                        });
                        assertThat(millisSince(started)).isLessThan(1_000L);
                        return answer;
                    }));
            assertThat(answers).containsExactly("Alice", "Alice");
        } finally {
            directory.countDown();
        }
        // Regression: the late value landed during the SQLite fixture's check of expired rows, which then saw it live.
        awaitValue(cache, "customer", "Alicia");
    }

    @Test
    void theHardTimeoutAlsoEndsTheWaitOfACallerOnAnotherInstance() throws Exception {
        LoadPolicy policy = LoadPolicy.ttl(Duration.ofSeconds(60)).hardTimeout(Duration.ofMillis(300));
        FunctionCache other = openSecondInstance(namespace);
        CountDownLatch directory = new CountDownLatch(1);
        CountDownLatch loading = new CountDownLatch(1);
        try {
            List<Object> outcomes = together(List.<Callable<Object>>of(
                    () -> failureOf(() -> cache.getOrSet("customer", String.class, policy, () -> {
                        loading.countDown();
                        await(directory);
                        return "Alice";
                    })),
                    () -> {
                        assertThat(loading.await(5, TimeUnit.SECONDS)).as("the first instance is loading").isTrue();
                        long started = System.nanoTime();
                        Object failure = failureOf(() -> other.getOrSet("customer", String.class, policy, () -> "other"));
                        assertThat(millisSince(started)).isLessThan(1_000L);
                        return failure;
                    }));
            assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(CacheLoadTimeoutException.class));
        } finally {
            directory.countDown();
        }
        awaitValue(cache, "customer", "Alice");
    }

    @Test
    void pastTheRefreshPointAReadAnswersAtOnceAndOneBackgroundLoadRenewsTheValue() throws Exception {
        LoadPolicy policy = LoadPolicy.ttl(Duration.ofSeconds(2)).refreshAhead(0.5);
        cache.getOrSet("config", String.class, policy, () -> "v1");
        if (backend().obeysInjectedClock()) {
            advance(Duration.ofMillis(1_500));
        } else {
            sleep(Duration.ofMillis(1_300));
        }
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch reload = new CountDownLatch(1);
        Supplier<String> loader = () -> {
            loads.incrementAndGet();
            await(reload);
            return "v2";
        };
        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertThat(cache.getOrSet("config", String.class, policy, loader)).isEqualTo("v1");
        }
        assertThat(millisSince(started)).as("twenty reads did not wait for the reload").isLessThan(500L);
        reload.countDown();
        awaitValue(cache, "config", "v2");
        assertThat(loads).as("one reload for twenty reads").hasValue(1);
        assertRemaining(cache, "config", Duration.ofSeconds(2));
    }

    @Test
    void beforeTheRefreshPointReadsAnswerTheValueAndReloadNothing() {
        LoadPolicy policy = LoadPolicy.ttl(Duration.ofSeconds(2)).refreshAhead(0.5);
        cache.getOrSet("config", String.class, policy, () -> "v1");
        if (backend().obeysInjectedClock()) {
            advance(Duration.ofMillis(900));
        } else {
            sleep(Duration.ofMillis(500));
        }
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            assertThat(cache.getOrSet("config", String.class, policy, () -> "v" + (1 + loads.incrementAndGet())))
                    .isEqualTo("v1");
        }
        sleep(Duration.ofMillis(200));
        assertThat(loads).as("reloads before the refresh point").hasValue(0);
        assertThat(cache.get("config", String.class)).isEqualTo("v1");
    }

    @Test
    void aValueAnotherInstanceRewroteWithTheSameBytesGoesByItsNewLifetime() {
        LoadPolicy policy = LoadPolicy.ttl(Duration.ofSeconds(2)).refreshAhead(0.5);
        FunctionCache other = openSecondInstance(namespace);
        cache.getOrSet("config", String.class, policy, () -> "v1");
        other.set("config", "v1", Duration.ofHours(1));
        if (backend().obeysInjectedClock()) {
            advance(Duration.ofMillis(1_500));
        } else {
            sleep(Duration.ofMillis(1_300));
        }
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            assertThat(cache.getOrSet("config", String.class, policy, () -> "v" + (1 + loads.incrementAndGet())))
                    .isEqualTo("v1");
        }
        sleep(Duration.ofMillis(200));
        assertThat(loads).as("reloads of a value with an hour left").hasValue(0);
        assertRemaining(cache, "config", Duration.ofHours(1).minusMillis(backend().obeysInjectedClock() ? 1_500 : 0));
    }

    @Test
    void sixteenThreadsOnTwoInstancesPastTheRefreshPointReloadOnceInAll() throws Exception {
        LoadPolicy policy = LoadPolicy.ttl(Duration.ofSeconds(2)).refreshAhead(0.5);
        FunctionCache other = openSecondInstance(namespace);
        cache.getOrSet("config", String.class, policy, () -> "v1");
        if (backend().obeysInjectedClock()) {
            advance(Duration.ofMillis(1_500));
        } else {
            sleep(Duration.ofMillis(1_300));
        }
        AtomicInteger loads = new AtomicInteger();
        List<Callable<Void>> readers = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            FunctionCache instance = t % 2 == 0 ? cache : other;
            readers.add(() -> {
                for (int i = 0; i < 50; i++) {
                    assertThat(instance.getOrSet("config", String.class, policy, () -> "v" + (1 + loads.incrementAndGet())))
                            .isIn("v1", "v2");
                }
                return null;
            });
        }
        together(readers);
        awaitValue(cache, "config", "v2");
        sleep(Duration.ofMillis(200));
        assertThat(loads).as("reloads across both instances").hasValue(1);
    }

    @Test
    void anInvalidPolicyIsRefusedNamingTheRuleBeforeAnythingIsRead() {
        assertThatThrownBy(() -> cache.getOrSet("k", String.class,
                LoadPolicy.ttl(TTL).softTimeout(Duration.ofMillis(100)), () -> "v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs staleFor");
        assertThatThrownBy(() -> cache.getOrSet("k", String.class, FAIL_SAFE.softTimeout(Duration.ofSeconds(2))
                .hardTimeout(Duration.ofSeconds(1)), () -> "v"))
                .hasMessage("softTimeout must be shorter than hardTimeout, but was PT2S with hardTimeout PT1S");
        assertThatThrownBy(() -> made(LoadPolicy.ttl(TTL).refreshAhead(1))).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> made(LoadPolicy.ttl(TTL).refreshAhead(Double.NaN))).hasMessageContaining("but was NaN");
        assertThatThrownBy(() -> made(LoadPolicy.ttl(TTL).staleFor(Duration.ZERO))).hasMessageStartingWith("staleFor must be");
        assertThatThrownBy(() -> made(LoadPolicy.ttl(Duration.ZERO))).hasMessageStartingWith("ttl must be");
        assertThatThrownBy(() -> made(LoadPolicy.ttl(TTL).hardTimeout(Duration.ZERO)))
                .hasMessageStartingWith("hardTimeout must be");
        assertThatThrownBy(() -> cache.getOrSet("k", String.class, (LoadPolicy) null, () -> "v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("policy");
        assertThat(cache.has("k")).isFalse();
    }

    /** Consumes a policy that should not have been made. */
    private static void made(LoadPolicy policy) {
        throw new AssertionError("expected the policy to be refused, but it was made: " + policy);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Object failureOf(Runnable call) {
        try {
            call.run();
            return "returned";
        } catch (RuntimeException e) {
            return e;
        }
    }
}
