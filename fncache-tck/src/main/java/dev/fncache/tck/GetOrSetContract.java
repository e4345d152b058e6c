package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** CONTRACT rule 11: getOrSet, single-threaded; see ConcurrencyContract for the single flight. */
public abstract class GetOrSetContract extends ContractSupport {

    @Test
    void cachedValueIsReturnedWithoutCallingTheLoader() {
        cache.set("customer", "Alice", 60);
        assertThat(cache.getOrSet("customer", String.class, 60, () -> {
            throw new AssertionError("loader must not run when the value is cached");
        })).isEqualTo("Alice");
    }

    @Test
    void missingValueIsLoadedCachedWithTheTtlAndReturned() {
        Session loaded = new Session("+4670", Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(cache.getOrSet("s", Session.class, 300, () -> loaded)).isEqualTo(loaded);
        assertThat(cache.get("s", Session.class)).isEqualTo(loaded);
        assertRemaining(cache, "s", Duration.ofSeconds(300));
    }

    @Test
    void secondCallReadsTheCachedValue() {
        AtomicInteger loads = new AtomicInteger();
        cache.getOrSet("k", Integer.class, 60, loads::incrementAndGet);
        assertThat(cache.getOrSet("k", Integer.class, 60, loads::incrementAndGet)).isEqualTo(1);
        assertThat(loads).hasValue(1);
    }

    @Test
    void nullFromTheLoaderIsReturnedAndNotCached() {
        AtomicInteger loads = new AtomicInteger();
        assertThat(cache.getOrSet("k", String.class, 60, () -> {
            loads.incrementAndGet();
            return null;
        })).isNull();
        assertThat(cache.has("k")).isFalse();
        cache.getOrSet("k", String.class, 60, () -> {
            loads.incrementAndGet();
            return null;
        });
        assertThat(loads).hasValue(2);
    }

    @Test
    void loaderExceptionPropagatesAndNothingIsCached() {
        IllegalStateException failure = new IllegalStateException("directory down");
        assertThatThrownBy(() -> cache.getOrSet("k", String.class, 60, () -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(cache.has("k")).isFalse();
        assertThat(cache.getOrSet("k", String.class, 60, () -> "recovered")).isEqualTo("recovered");
    }

    @Test
    void loaderThatCallsGetOrSetForTheSameKeyFailsInsteadOfDeadlocking() {
        assertThatThrownBy(() -> cache.getOrSet("k", String.class, 60,
                () -> cache.getOrSet("k", String.class, 60, () -> "inner")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("same key");
        assertThat(cache.has("k")).isFalse();
    }

    @Test
    void loaderMayUseTheCacheForOtherKeys() {
        String result = cache.getOrSet("outer", String.class, 60,
                () -> "outer+" + cache.getOrSet("inner", String.class, 60, () -> "inner"));
        assertThat(result).isEqualTo("outer+inner");
        assertThat(cache.get("inner", String.class)).isEqualTo("inner");
    }

    @Test
    void argumentsAreCheckedBeforeTheLoaderRuns() {
        AtomicInteger loads = new AtomicInteger();
        assertThatThrownBy(() -> cache.getOrSet("k", String.class, 0, () -> "x" + loads.incrementAndGet()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttlSeconds");
        assertThatThrownBy(() -> cache.getOrSet("k", String.class, 60, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loader must not be null");
        assertThat(loads).hasValue(0);
    }

    @Test
    void loadedValueTooLargeIsRejectedAndNotCached() {
        var small = open(namespace, builder -> builder.maxValueBytes(10));
        assertThatThrownBy(() -> small.getOrSet("k", String.class, 60, () -> "far more than ten bytes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxValueBytes");
        assertThat(small.has("k")).isFalse();
    }

    @Test
    void durationAndTypeRefFormsKeepMillisecondsAndGenericTypes() {
        assertThat(cache.getOrSet("a", String.class, Duration.ofMillis(1_500), () -> "A")).isEqualTo("A");
        assertRemaining(cache, "a", Duration.ofMillis(1_500));
        java.util.List<Session> calls = java.util.List.of(new Session("+4670", START));
        assertThat(cache.getOrSet("calls", new dev.fncache.TypeRef<java.util.List<Session>>() { }, 60, () -> calls))
                .isEqualTo(calls);
        assertThat(cache.getOrSet("calls", new dev.fncache.TypeRef<java.util.List<Session>>() { }, Duration.ofMinutes(1),
                () -> java.util.List.<Session>of())).isEqualTo(calls);
        assertThatThrownBy(() -> cache.getOrSet("b", String.class, Duration.ofMillis(999), () -> "B"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl must be between PT1S");
    }

    @Test
    void waitersOfALoaderThatThrowsACheckedExceptionGetItInsteadOfHanging() throws Exception {
        java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Callable<String>> callers = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            callers.add(() -> {
                try {
                    return cache.getOrSet("k", String.class, 60, () -> {
                        await(waiting);
                        throw Sneaky.<RuntimeException>raise(new java.io.IOException("directory unreachable"));
                    });
                } catch (Exception e) {
                    return e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            });
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<String>> outcomes = new java.util.ArrayList<>();
            callers.forEach(caller -> outcomes.add(pool.submit(caller)));
            Thread.sleep(200);
            waiting.countDown();
            for (java.util.concurrent.Future<String> outcome : outcomes) {
                assertThat(outcome.get(10, java.util.concurrent.TimeUnit.SECONDS))
                        .isEqualTo("IOException: directory unreachable");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(cache.has("k")).isFalse();
    }

    @Test
    void twoLoadersWaitingForEachOthersKeyGiveUpAfterTheLoadTimeoutInsteadOfDeadlocking() throws Exception {
        var bounded = open(namespace, builder -> builder.loadTimeout(Duration.ofMillis(300)));
        java.util.concurrent.CyclicBarrier bothLoading = new java.util.concurrent.CyclicBarrier(2);
        long started = System.nanoTime();
        java.util.List<String> outcomes = together(java.util.List.<java.util.concurrent.Callable<String>>of(
                () -> loadWaitingFor(bounded, "a", "b", bothLoading),
                () -> loadWaitingFor(bounded, "b", "a", bothLoading)));
        assertThat(outcomes).allMatch(outcome -> outcome.startsWith("CacheLoadTimeoutException"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(cache.getOrSet("a", String.class, 60, () -> "fine later")).isEqualTo("fine later");
    }

    private static String loadWaitingFor(dev.fncache.FunctionCache cache, String key, String other,
            java.util.concurrent.CyclicBarrier bothLoading) {
        try {
            return cache.getOrSet(key, String.class, 60, () -> {
                await(bothLoading);
                return cache.getOrSet(other, String.class, 60, () -> "never");
            });
        } catch (dev.fncache.CacheLoadTimeoutException e) {
            return "CacheLoadTimeoutException: " + e.getMessage();
        }
    }

    private static void await(Object latchOrBarrier) {
        try {
            if (latchOrBarrier instanceof java.util.concurrent.CountDownLatch latch) {
                latch.await();
            } else {
                ((java.util.concurrent.CyclicBarrier) latchOrBarrier).await(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Throws a checked exception from a Supplier, as Kotlin code or a sneaky throw does. */
    private static final class Sneaky {
        @SuppressWarnings("unchecked")
        static <E extends Throwable> E raise(Throwable failure) throws E {
            throw (E) failure;
        }
    }
}
