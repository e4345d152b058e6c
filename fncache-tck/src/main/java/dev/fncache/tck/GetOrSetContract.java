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
}
