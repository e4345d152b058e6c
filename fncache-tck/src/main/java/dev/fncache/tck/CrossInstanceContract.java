package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.FunctionCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT rule 20 and the atomic rules of docs/CONTRACT.md held by two instances of a function racing on one store (another
 * connection for Redis, another writer for SQLite): atomic steps stay atomic, and {@code has}
 * and {@code keys} agree on every key afterwards, whatever interleaving the race produced.
 */
public abstract class CrossInstanceContract extends ContractSupport {
    private static final int ROUNDS = 3_000;
    private static final int EXPIRED_KEYS = 4_096;
    /** How long after a write an instance with a near cache may still read the value it replaced (rule 28). */
    private static final Duration NEAR_CACHE_BOUND = Duration.ofMillis(100);

    protected FunctionCache other;

    @BeforeEach
    void openSecondInstance() {
        other = openSecondInstance(namespace);
    }

    @Test
    void setRacingDeleteFromAnotherInstanceLeavesHasAndKeysInAgreement() throws Exception {
        CyclicBarrier round = new CyclicBarrier(2);
        List<Callable<Void>> sides = List.of(
                () -> eachRound(round, key -> cache.set(key, "v", 600)),
                () -> eachRound(round, key -> other.delete(key)));
        together(sides);
        assertHasAndKeysAgree("race:*", ROUNDS);
    }

    @Test
    void setIfAbsentRacingDeleteFromAnotherInstanceLeavesHasAndKeysInAgreement() throws Exception {
        CyclicBarrier round = new CyclicBarrier(2);
        together(List.<Callable<Void>>of(
                () -> eachRound(round, key -> cache.setIfAbsent(key, "v", 600)),
                () -> eachRound(round, key -> other.delete(key))));
        assertHasAndKeysAgree("race:*", ROUNDS);
    }

    @Test
    void expiredKeysSetAgainWhileAnotherInstanceListsAreAllListed() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < EXPIRED_KEYS; i++) {
            keys.add(String.format("expired:%05d", i));
            cache.set(keys.get(i), i, Duration.ofSeconds(1));
        }
        if (backend().obeysInjectedClock()) {
            advance(Duration.ofSeconds(1));
        } else {
            sleep(Duration.ofMillis(1_100));
        }
        assertThat(other.keys("expired:*")).isEmpty();
        AtomicBoolean writing = new AtomicBoolean(true);
        together(List.<Callable<Void>>of(() -> {
            try {
                for (String key : keys) {
                    cache.set(key, "again", 600);
                }
            } finally {
                writing.set(false);
            }
            return null;
        }, () -> {
            while (writing.get()) {
                other.keys("expired:*");
            }
            return null;
        }));
        assertThat(other.keys("expired:*")).hasSize(EXPIRED_KEYS);
        assertHasAndKeysAgree("expired:*", EXPIRED_KEYS);
    }

    @Test
    void incrementsFromTwoInstancesAreExact() throws Exception {
        together(List.<Callable<Void>>of(() -> increments(cache), () -> increments(other),
                () -> increments(cache), () -> increments(other)));
        assertThat(cache.get("counter", Long.class)).isEqualTo(4 * 2_000L);
        assertThat(other.keys("counter")).containsExactly("counter");
    }

    @Test
    void exactlyOneInstanceWinsEachSetIfAbsent() throws Exception {
        for (int i = 0; i < 200; i++) {
            String key = "lock:" + i;
            List<Boolean> won = together(List.<Callable<Boolean>>of(
                    () -> cache.setIfAbsent(key, "a", 60), () -> other.setIfAbsent(key, "b", 60)));
            assertThat(won).as("winners of %s", key).containsExactlyInAnyOrder(true, false);
            assertThat(cache.get(key, String.class)).isEqualTo(won.get(0) ? "a" : "b");
        }
    }

    @Test
    void aWriteIsSeenByTheOtherInstanceAsSoonAsItReturns() {
        for (int i = 0; i < 500; i++) {
            cache.set("seen:" + i, i, 60);
            assertThat(other.get("seen:" + i, Integer.class)).isEqualTo(i);
            other.delete("seen:" + i);
            assertThat(cache.has("seen:" + i)).isFalse();
        }
    }

    /**
     * CONTRACT rule 28: a reader that has read a key again and again (so a near cache holds it)
     * reads another instance's overwrite no later than the backend's bound after the write
     * returns; with no near cache, the bound is zero and the first read after it shows the write.
     */
    @Test
    void anOverwriteIsReadByAnInstanceHoldingTheOldValueWithinTheStatedBound() {
        long boundNanos = backend().staleReadsFor().toNanos();
        for (int round = 1; round <= 100; round++) {
            cache.set("held", round, 60);
            awaitRead("held", round, System.nanoTime(), boundNanos);
            for (int read = 0; read < 3; read++) {
                assertThat(other.get("held", Integer.class)).isEqualTo(round);
                sleep(Duration.ofMillis(1));
            }
            cache.set("held", -round, 60);
            awaitRead("held", -round, System.nanoTime(), boundNanos);
        }
    }

    /**
     * CONTRACT rule 28 through {@code FunctionCaches.Builder#nearCache}, on every backend: the
     * instance that asks for a near cache reads its own writes at once and another instance's
     * within the rule's 100 ms (a backend without near caches ignores the setting, bound zero).
     */
    @Test
    void anInstanceOpenedWithTheBuildersNearCacheReadsItsOwnWritesAtOnceAndAnothersWithinTheBound() {
        FunctionCache near = openSecondInstance(namespace, builder -> builder.nearCache(100));
        long boundNanos = NEAR_CACHE_BOUND.toNanos();
        for (int round = 1; round <= 50; round++) {
            near.set("held", round, 60);
            for (int read = 0; read < 3; read++) {
                assertThat(near.get("held", Integer.class)).as("its own write, read %d", read).isEqualTo(round);
                sleep(Duration.ofMillis(1));
            }
            cache.set("held", -round, 60);
            awaitRead(near, "held", -round, System.nanoTime(), boundNanos);
        }
    }

    /** Reads {@code key} on the other instance until it is {@code expected}; no read begun past the bound may be another value. */
    private void awaitRead(String key, int expected, long writtenNanos, long boundNanos) {
        awaitRead(other, key, expected, writtenNanos, boundNanos);
    }

    private static void awaitRead(FunctionCache reader, String key, int expected, long writtenNanos, long boundNanos) {
        while (true) {
            long began = System.nanoTime();
            Integer read = reader.get(key, Integer.class);
            if (read != null && read == expected) {
                return;
            }
            assertThat(began - writtenNanos).as("%s still read %s %d ns after the write of %d returned, bound %d ns", key,
                    read, began - writtenNanos, expected, boundNanos).isLessThanOrEqualTo(boundNanos);
        }
    }

    /** CONTRACT rule 28: every kind of write, bulk ones included, reaches a reader holding the old values within the bound. */
    @Test
    void everyKindOfWriteReachesAnInstanceHoldingTheOldValuesWithinTheStatedBound() {
        List<Runnable> writes = List.of(
                () -> cache.set("a", "set", 60),
                () -> cache.setMany(java.util.Map.of("a", "setMany", "b", "setMany"), Duration.ofMinutes(1)),
                () -> cache.replace("a", cache.getEntry("a", String.class).version(), "replaced", 60),
                () -> cache.update("a", String.class, 60, old -> old + "+updated"),
                () -> cache.increment("n", 1, 60),
                () -> cache.delete("a"),
                () -> cache.deleteMany(List.of("a", "b", "n")));
        for (Runnable write : writes) {
            cache.setMany(java.util.Map.of("a", "before", "b", "before"), Duration.ofMinutes(1));
            cache.set("n", 1, 60);
            awaitAllRead(System.nanoTime());
            for (int read = 0; read < 3; read++) {
                other.getMany(List.of("a", "b", "n"), Object.class);
                other.get("a", Object.class);
                sleep(Duration.ofMillis(1));
            }
            write.run();
            awaitAllRead(System.nanoTime());
        }
    }

    /** Reads a, b and n on the other instance until they are this instance's; no read begun past the bound may differ. */
    private void awaitAllRead(long writtenNanos) {
        java.util.Map<String, Object> expected = cache.getMany(List.of("a", "b", "n"), Object.class);
        while (true) {
            long began = System.nanoTime();
            java.util.Map<String, Object> seen = other.getMany(List.of("a", "b", "n"), Object.class);
            if (seen.equals(expected) && java.util.Objects.equals(other.get("a", Object.class), expected.get("a"))) {
                return;
            }
            assertThat(began - writtenNanos).as("read %s instead of %s", seen, expected)
                    .isLessThanOrEqualTo(backend().staleReadsFor().toNanos());
        }
    }

    @Test
    void loaderRunsOnceForCallersOnTwoInstances() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        List<Callable<String>> callers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            FunctionCache instance = i % 2 == 0 ? cache : other;
            callers.add(() -> instance.getOrSet("customer", String.class, 60, () -> {
                loads.incrementAndGet();
                sleep(Duration.ofMillis(300));
                return "Alice";
            }));
        }
        assertThat(together(callers)).containsOnly("Alice");
        assertThat(loads).hasValue(1);
    }

    @Test
    void aLoadWhoseOwnerStopsRespondingIsTakenOverWhenItsLeaseEnds() throws Exception {
        assumeSeparateSecondInstance();
        FunctionCache stuck = open(namespace, builder -> builder.clock(java.time.Clock.systemUTC())
                .loadTimeout(Duration.ofMillis(600)));
        FunctionCache other = openSecondInstance(namespace, builder -> builder.clock(java.time.Clock.systemUTC()));
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread owner = new Thread(() -> stuck.getOrSet("customer", String.class, 60, () -> {
            loading.countDown();
            awaitQuietly(release);
            return "late";
        }));
        owner.start();
        try {
            assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
            long started = System.nanoTime();
            assertThat(other.getOrSet("customer", String.class, 60, () -> "taken over")).isEqualTo("taken over");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited for the 600 ms lease, not longer")
                    .isBetween(Duration.ofMillis(300), Duration.ofSeconds(3));
        } finally {
            release.countDown();
            owner.join(10_000);
        }
    }

    @Test
    void whenTheLeaseOwnersLoaderFailsAWaiterOnTheOtherInstanceLoadsItself() throws Exception {
        assumeSeparateSecondInstance();
        CountDownLatch loading = new CountDownLatch(1);
        List<String> outcomes = together(List.<Callable<String>>of(() -> {
            try {
                return cache.getOrSet("customer", String.class, 60, () -> {
                    loading.countDown();
                    sleep(Duration.ofMillis(300));
                    throw new IllegalStateException("directory down");
                });
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        }, () -> {
            awaitQuietly(loading);
            return other.getOrSet("customer", String.class, 60, () -> "loaded by the waiter");
        }));
        assertThat(outcomes).containsExactly("directory down", "loaded by the waiter");
        assertThat(cache.get("customer", String.class)).isEqualTo("loaded by the waiter");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Void increments(FunctionCache instance) {
        for (int i = 0; i < 2_000; i++) {
            instance.increment("counter", 1, 600);
        }
        return null;
    }

    private static Void eachRound(CyclicBarrier round, java.util.function.Consumer<String> step) throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            round.await(30, TimeUnit.SECONDS);
            step.accept(String.format("race:%05d", i));
        }
        return null;
    }

    /** Every key of {@code count} under the pattern is listed exactly when it is live. */
    private void assertHasAndKeysAgree(String pattern, int count) {
        Set<String> listed = new TreeSet<>(other.keys(pattern));
        List<String> disagreeing = new ArrayList<>();
        String prefix = pattern.substring(0, pattern.length() - 1);
        for (int i = 0; i < count; i++) {
            String key = String.format(prefix + "%05d", i);
            if (cache.has(key) != listed.contains(key)) {
                disagreeing.add(key + (listed.contains(key) ? " (listed, absent)" : " (live, unlisted)"));
            }
        }
        assertThat(disagreeing).as("keys on which has() and keys() disagree after the race").isEmpty();
    }
}
