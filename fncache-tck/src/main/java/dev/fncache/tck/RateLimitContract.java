package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheSerializationException;
import dev.fncache.FunctionCache;
import dev.fncache.RateLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** CONTRACT rule 19 (docs/CONTRACT.md): rateLimit, a sliding window atomic across instances. */
public abstract class RateLimitContract extends ContractSupport {

    @Test
    void hitsUpToTheLimitAreAllowedThenDeniedWithTheTimeUntilTheOldestLeaves() {
        for (int remaining = 2; remaining >= 0; remaining--) {
            RateLimit hit = cache.rateLimit("sms:+4670", 3, Duration.ofMinutes(1));
            assertThat(hit.allowed()).isTrue();
            assertThat(hit.remaining()).isEqualTo(remaining);
            assertThat(hit.retryAfter()).isZero();
        }
        RateLimit denied = cache.rateLimit("sms:+4670", 3, Duration.ofMinutes(1));
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.remaining()).isZero();
        assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(cache.get("sms:+4670", long[].class)).as("the log of allowed hits").hasSize(3);
        assertThat(cache.keys("sms:*")).containsExactly("sms:+4670");
        assertThat(cache.ttl("sms:+4670")).isLessThanOrEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aSlidingWindowLetsNoMoreThanTheLimitThroughWhereAFixedWindowLetsTwice() {
        assumeInjectedClock();
        int[] fixed = new int[3];
        int[] sliding = new int[3];
        int[] messages = {1, 9, 10};
        Duration[] before = {Duration.ZERO, Duration.ofMinutes(59), Duration.ofMinutes(2)};
        for (int phase = 0; phase < 3; phase++) {
            advance(before[phase]);
            for (int i = 0; i < messages[phase]; i++) {
                fixed[phase] += cache.increment("fixed:+4670", 1, 3600) <= 10 ? 1 : 0;
                sliding[phase] += cache.rateLimit("sliding:+4670", 10, Duration.ofHours(1)).allowed() ? 1 : 0;
            }
        }
        assertThat(fixed[1] + fixed[2]).as("a fixed window opened by the first message, from minute 59 to 61")
                .isEqualTo(19);
        assertThat(sliding[1] + sliding[2]).as("the sliding window, from minute 59 to 61").isEqualTo(10);
        assertThat(sliding).containsExactly(1, 9, 1);
    }

    @Test
    void deniedHitRetriedAfterRetryAfterIsAllowed() {
        assumeInjectedClock();
        cache.rateLimit("k", 2, Duration.ofSeconds(10));
        advance(Duration.ofSeconds(4));
        cache.rateLimit("k", 2, Duration.ofSeconds(10));
        RateLimit denied = cache.rateLimit("k", 2, Duration.ofSeconds(10));
        assertThat(denied.retryAfter()).isEqualTo(Duration.ofSeconds(6));
        advance(denied.retryAfter().minusMillis(1));
        assertThat(cache.rateLimit("k", 2, Duration.ofSeconds(10)).allowed()).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(cache.rateLimit("k", 2, Duration.ofSeconds(10)).allowed()).isTrue();
    }

    @Test
    void onTheRealClockAWindowOfTwoSecondsAllowsTheLimitThenAgainOnceItPassed() {
        FunctionCache realTime = openOnRealClock();
        for (int i = 0; i < 5; i++) {
            assertThat(realTime.rateLimit("k", 5, Duration.ofSeconds(2)).allowed()).isTrue();
        }
        sleep(Duration.ofMillis(1_000));
        RateLimit denied = realTime.rateLimit("k", 5, Duration.ofSeconds(2));
        assertThat(denied.allowed()).as("a second later, still within the window").isFalse();
        assertThat(denied.retryAfter()).isLessThanOrEqualTo(Duration.ofMillis(1_000));
        sleep(denied.retryAfter().plusMillis(50));
        assertThat(realTime.rateLimit("k", 5, Duration.ofSeconds(2)).allowed()).isTrue();
    }

    @Test
    void hitsFromTwoInstancesAndManyThreadsAreEachCountedOnce() throws Exception {
        FunctionCache other = openSecondInstance(namespace);
        AtomicInteger allowed = new AtomicInteger();
        List<Callable<Void>> senders = new ArrayList<>();
        for (int thread = 0; thread < 8; thread++) {
            FunctionCache instance = thread % 2 == 0 ? cache : other;
            senders.add(() -> {
                for (int i = 0; i < 40; i++) {
                    if (instance.rateLimit("k", 100, Duration.ofHours(1)).allowed()) {
                        allowed.incrementAndGet();
                    }
                }
                return null;
            });
        }
        together(senders);
        assertThat(allowed).hasValue(100);
        assertThat(cache.get("k", long[].class)).hasSize(100);
        assertThat(cache.rateLimit("k", 100, Duration.ofHours(1)).allowed()).isFalse();
        assertThat(other.rateLimit("k", 100, Duration.ofHours(1)).allowed()).isFalse();
    }

    /** Regression: the log was checked by a regex that recursed once per entry (StackOverflowError near hit 1,634). */
    @Test
    void aLimitOfTenThousandAllowsEveryOneOfTenThousandHitsThenDenies() {
        Duration window = Duration.ofHours(1);
        int allowed = 0;
        for (int i = 0; i < 10_000; i++) {
            RateLimit hit = cache.rateLimit("k", 10_000, window);
            allowed += hit.allowed() ? 1 : 0;
            assertThat(hit.remaining()).isEqualTo(hit.allowed() ? 9_999 - i : 0);
        }
        assertThat(allowed).isEqualTo(10_000);
        RateLimit denied = cache.rateLimit("k", 10_000, window);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(window);
    }

    @Test
    void hitsThatLeftTheWindowAreDroppedWhileTheOnesInsideKeepCounting() {
        assumeInjectedClock();
        for (int step = 0; step < 100; step++) {
            advance(Duration.ofSeconds(15));
            RateLimit hit = cache.rateLimit("k", 4, Duration.ofMinutes(1));
            assertThat(hit.allowed()).as("step %d", step).isTrue();
            assertThat(hit.remaining()).as("step %d", step).isEqualTo(Math.max(0, 3 - step));
            if (step >= 3) {
                RateLimit again = cache.rateLimit("k", 4, Duration.ofMinutes(1));
                assertThat(again.allowed()).as("step %d", step).isFalse();
                assertThat(again.retryAfter()).as("step %d", step).isEqualTo(Duration.ofSeconds(15));
            }
        }
    }

    @Test
    void aHitWithAnotherLimitCountsTheHitsOfTheWindowAgainstTheNewLimit() {
        for (int i = 0; i < 5; i++) {
            cache.rateLimit("k", 5, Duration.ofMinutes(1));
        }
        assertThat(cache.rateLimit("k", 5, Duration.ofMinutes(1)).allowed()).isFalse();
        RateLimit raised = cache.rateLimit("k", 7, Duration.ofMinutes(1));
        assertThat(raised.allowed()).isTrue();
        assertThat(raised.remaining()).isEqualTo(1);
        assertThat(cache.rateLimit("k", 3, Duration.ofMinutes(1)).allowed()).as("6 hits already lie in the window").isFalse();
    }

    @Test
    void limitAndWindowOutsideTheirBoundsAreRefused() {
        assertThatThrownBy(() -> cache.rateLimit("k", 0, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be between 1 and 10000, but was 0");
        assertThatThrownBy(() -> cache.rateLimit("k", 10_001, Duration.ofMinutes(1)))
                .hasMessageContaining("but was 10001");
        assertThatThrownBy(() -> cache.rateLimit("k", 1, Duration.ofMillis(999)))
                .hasMessageContaining("window must be between PT1S");
        assertThatThrownBy(() -> cache.rateLimit("k", 1, null)).hasMessageContaining("window must not be null");
        assertThat(cache.has("k")).isFalse();
    }

    @Test
    void aKeyHoldingSomethingElseIsRefusedAndKept() {
        cache.set("k", "hello", 60);
        assertThatThrownBy(() -> cache.rateLimit("k", 5, Duration.ofMinutes(1)))
                .isInstanceOf(CacheSerializationException.class)
                .hasMessageContaining("'k'").hasMessageContaining("not a rate-limit log");
        assertThat(cache.get("k", String.class)).isEqualTo("hello");
    }
}
