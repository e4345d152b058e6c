package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheSerializationException;
import dev.fncache.FunctionCache;
import dev.fncache.RateLimit;
import dev.fncache.RateLimitRule;
import dev.fncache.TypeRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT rule 27: the rate-limit family: sliding window, fixed window and token bucket, with
 * weighted cost, peeks that count nothing, and delete as reset, each exact across instances.
 */
public abstract class RateLimitFamilyContract extends ContractSupport {
    private static final RateLimitRule SLIDING = RateLimitRule.slidingWindow(100, Duration.ofHours(1));
    /** Ten years: windows start at multiples of it since the epoch, so no test here meets a boundary before 2029-12. */
    private static final RateLimitRule FIXED = RateLimitRule.fixedWindow(100, Duration.ofDays(3650));
    private static final RateLimitRule BUCKET = RateLimitRule.tokenBucket(100, 1, Duration.ofHours(1));
    private static final TypeRef<Map<String, Long>> STATE = new TypeRef<>() { };
    private static final List<RateLimitRule> EVERY_ALGORITHM = List.of(SLIDING, FIXED, BUCKET);

    @Test
    void aFixedWindowAllowsItsLimitPerWindowOfTheClockAndOpensAgainAtTheNextWindow() {
        assumeInjectedClock();
        RateLimitRule rule = RateLimitRule.fixedWindow(3, Duration.ofMinutes(1));
        advance(Duration.ofSeconds(40));
        for (int remaining = 2; remaining >= 0; remaining--) {
            assertThat(cache.rateLimit("api", rule)).isEqualTo(new RateLimit(true, remaining, Duration.ZERO));
        }
        assertThat(cache.rateLimit("api", rule)).as("denied until the minute ends, 20 s later")
                .isEqualTo(new RateLimit(false, 0, Duration.ofSeconds(20)));
        assertRemaining(cache, "api", Duration.ofSeconds(20));
        assertThat(cache.get("api", STATE)).containsEntry("count", 3L);
        advance(Duration.ofSeconds(20));
        assertThat(cache.rateLimit("api", rule)).isEqualTo(new RateLimit(true, 2, Duration.ZERO));
    }

    @Test
    void aFixedWindowLetsUpToTwiceItsLimitThroughAroundABoundaryWhereASlidingWindowLetsItsLimit() {
        assumeInjectedClock();
        RateLimitRule fixed = RateLimitRule.fixedWindow(10, Duration.ofHours(1));
        RateLimitRule sliding = RateLimitRule.slidingWindow(10, Duration.ofHours(1));
        advance(Duration.ofMinutes(59));
        int[] allowed = new int[2];
        for (int phase = 0; phase < 2; phase++) {
            for (int i = 0; i < 10; i++) {
                allowed[0] += cache.rateLimit("fixed", fixed).allowed() ? 1 : 0;
                allowed[1] += cache.rateLimit("sliding", sliding).allowed() ? 1 : 0;
            }
            advance(Duration.ofMinutes(2));
        }
        assertThat(allowed).as("from minute 59 to 61: fixed, sliding").containsExactly(20, 10);
    }

    @Test
    void aTokenBucketStartsFullTakesEachHitsCostAndRefillsWholePeriodsUpToItsCapacity() {
        assumeInjectedClock();
        RateLimitRule rule = RateLimitRule.tokenBucket(5, 2, Duration.ofSeconds(10));
        assertThat(cache.rateLimit("calls", rule, 3)).isEqualTo(new RateLimit(true, 2, Duration.ZERO));
        assertThat(cache.rateLimit("calls", rule, 3)).as("one token short: one period to wait")
                .isEqualTo(new RateLimit(false, 2, Duration.ofSeconds(10)));
        advance(Duration.ofSeconds(9));
        assertThat(cache.rateLimit("calls", rule, 3)).isEqualTo(new RateLimit(false, 2, Duration.ofSeconds(1)));
        advance(Duration.ofSeconds(1));
        assertThat(cache.rateLimit("calls", rule, 3)).isEqualTo(new RateLimit(true, 1, Duration.ZERO));
        assertRemaining(cache, "calls", Duration.ofSeconds(20));
        assertThat(cache.get("calls", STATE)).containsEntry("tokens", 1L);
        advance(Duration.ofHours(1));
        assertThat(cache.peekRateLimit("calls", rule)).as("refilled up to the capacity, no further")
                .isEqualTo(new RateLimit(true, 5, Duration.ZERO));
    }

    @Test
    void aTokenBucketLeftAloneUntilItIsFullExpiresAsAnAbsentKeyMeansAFullBucket() {
        assumeInjectedClock();
        RateLimitRule rule = RateLimitRule.tokenBucket(10, 1, Duration.ofSeconds(1));
        cache.rateLimit("calls", rule, 4);
        assertRemaining(cache, "calls", Duration.ofSeconds(4));
        advance(Duration.ofSeconds(4));
        assertThat(cache.has("calls")).isFalse();
        assertThat(cache.rateLimit("calls", rule)).isEqualTo(new RateLimit(true, 9, Duration.ZERO));
    }

    @Test
    void onTheRealClockADeniedHitRetriedAfterItsRetryAfterIsAllowedOnABucketAndAFixedWindow() {
        FunctionCache realTime = openOnRealClock();
        for (RateLimitRule rule : List.of(RateLimitRule.tokenBucket(2, 1, Duration.ofMillis(300)),
                RateLimitRule.fixedWindow(2, Duration.ofSeconds(1)))) {
            String key = "real:" + rule.algorithm();
            RateLimit denied = null;
            for (int attempt = 0; attempt < 3 && (denied == null || denied.allowed()); attempt++) {
                realTime.delete(key); // a fixed window's boundary between the two calls lets the second through: again
                assertThat(realTime.rateLimit(key, rule, 2).allowed()).isTrue();
                denied = realTime.rateLimit(key, rule);
            }
            assertThat(denied.allowed()).as("denied once the limit is used: %s", rule).isFalse();
            assertThat(denied.retryAfter()).as(rule.toString()).isPositive().isLessThanOrEqualTo(rule.period());
            sleep(denied.retryAfter().plusMillis(20));
            assertThat(realTime.rateLimit(key, rule).allowed()).as(rule.toString()).isTrue();
        }
    }

    @Test
    void aWeightedHitOnASlidingWindowIsAllowedOnlyWhenTheWholeCostFitsAndCountsAsThatManyHits() {
        RateLimitRule rule = RateLimitRule.slidingWindow(10, Duration.ofMinutes(1));
        assertThat(cache.rateLimit("mms", rule, 4).remaining()).isEqualTo(6);
        assertThat(cache.rateLimit("mms", rule, 4).remaining()).isEqualTo(2);
        RateLimit denied = cache.rateLimit("mms", rule, 4);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.remaining()).as("nothing counted").isEqualTo(2);
        assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(cache.rateLimit("mms", rule, 2)).isEqualTo(new RateLimit(true, 0, Duration.ZERO));
        assertThat(cache.get("mms", long[].class)).as("one logged hit per unit of cost").hasSize(10);
    }

    @Test
    void aWeightedHitWaitsUntilEnoughOfTheWindowsHitsHaveLeftIt() {
        assumeInjectedClock();
        RateLimitRule rule = RateLimitRule.slidingWindow(4, Duration.ofMinutes(1));
        cache.rateLimit("mms", rule, 2);
        advance(Duration.ofSeconds(10));
        cache.rateLimit("mms", rule, 2);
        assertThat(cache.rateLimit("mms", rule, 3).retryAfter()).as("until the second pair leaves, 60 s after it came")
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(cache.rateLimit("mms", rule, 2).retryAfter()).as("until the first pair leaves")
                .isEqualTo(Duration.ofSeconds(50));
        advance(Duration.ofSeconds(50));
        assertThat(cache.rateLimit("mms", rule, 2).allowed()).isTrue();
    }

    @Test
    void aWeightedHitOnAFixedWindowCountsItsCost() {
        RateLimitRule rule = RateLimitRule.fixedWindow(10, Duration.ofDays(3650));
        assertThat(cache.rateLimit("k", rule, 7).remaining()).isEqualTo(3);
        RateLimit denied = cache.rateLimit("k", rule, 4);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.remaining()).isEqualTo(3);
        assertThat(cache.rateLimit("k", rule, 3)).isEqualTo(new RateLimit(true, 0, Duration.ZERO));
    }

    @Test
    void aPeekAnswersWhatAHitOfCostOneWouldGetAndCountsNothingOnEveryAlgorithm() {
        for (RateLimitRule rule : EVERY_ALGORITHM) {
            String key = "peek:" + rule.algorithm();
            assertThat(cache.peekRateLimit(key, rule)).isEqualTo(new RateLimit(true, 100, Duration.ZERO));
            assertThat(cache.has(key)).as("a peek stores nothing").isFalse();
            cache.rateLimit(key, rule, 99);
            for (int i = 0; i < 10; i++) {
                assertThat(cache.peekRateLimit(key, rule)).isEqualTo(new RateLimit(true, 1, Duration.ZERO));
            }
            assertThat(cache.rateLimit(key, rule).allowed()).isTrue();
            RateLimit peeked = cache.peekRateLimit(key, rule);
            assertThat(peeked.allowed()).as(rule.toString()).isFalse();
            assertThat(peeked.remaining()).isZero();
            assertThat(peeked.retryAfter()).isPositive().isLessThanOrEqualTo(rule.period());
        }
    }

    @Test
    void deleteResetsTheLimitOfEveryAlgorithm() {
        for (RateLimitRule rule : EVERY_ALGORITHM) {
            String key = "reset:" + rule.algorithm();
            cache.rateLimit(key, rule, 100);
            assertThat(cache.rateLimit(key, rule).allowed()).isFalse();
            assertThat(cache.delete(key)).isTrue();
            assertThat(cache.rateLimit(key, rule)).as(rule.toString()).isEqualTo(new RateLimit(true, 99, Duration.ZERO));
        }
    }

    @Test
    void aThousandHitsFromTwoInstancesAndSixteenThreadsAllowExactlyTheLimitOnEveryAlgorithm() throws Exception {
        FunctionCache other = openSecondInstance(namespace);
        for (RateLimitRule rule : EVERY_ALGORITHM) {
            AtomicInteger calls = new AtomicInteger();
            List<Callable<Integer>> threads = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                FunctionCache instance = t % 2 == 0 ? cache : other;
                threads.add(() -> {
                    int allowed = 0;
                    while (calls.incrementAndGet() <= 1_000) {
                        allowed += instance.rateLimit("exact:" + rule.algorithm(), rule).allowed() ? 1 : 0;
                    }
                    return allowed;
                });
            }
            assertThat(together(threads).stream().mapToInt(Integer::intValue).sum()).as(rule.toString()).isEqualTo(100);
        }
    }

    @Test
    void aCostOutsideOneToTheLimitIsRefusedAndCountsNothing() {
        for (RateLimitRule rule : EVERY_ALGORITHM) {
            assertThatThrownBy(() -> cache.rateLimit("k", rule, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cost must be between 1 and the rule's limit 100, but was 0");
            assertThatThrownBy(() -> cache.rateLimit("k", rule, 101)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cost must be between 1 and the rule's limit 100, but was 101");
        }
        assertThatThrownBy(() -> cache.rateLimit("k", null, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rule");
        assertThat(cache.has("k")).isFalse();
    }

    @Test
    void rulesOutsideTheirBoundsAreRefusedNamingTheRule() {
        assertThatThrownBy(() -> made(RateLimitRule.slidingWindow(10_001, Duration.ofHours(1))))
                .hasMessage("limit must be between 1 and 10000, but was 10001");
        assertThatThrownBy(() -> made(RateLimitRule.fixedWindow(0, Duration.ofHours(1))))
                .hasMessage("limit must be between 1 and 1000000000, but was 0");
        assertThatThrownBy(() -> made(RateLimitRule.fixedWindow(10, Duration.ofMillis(999))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> made(RateLimitRule.tokenBucket(10, 11, Duration.ofSeconds(1))))
                .hasMessage("refillTokens must be between 1 and 10, but was 11");
        assertThatThrownBy(() -> RateLimitRule.tokenBucket(10, 1, Duration.ZERO))
                .hasMessageContaining("refillEvery must be between 1 ms and 10 years");
        assertThatThrownBy(() -> made(RateLimitRule.tokenBucket(1_000_000, 1, Duration.ofDays(1))))
                .hasMessageContaining("an empty bucket must fill within 10 years");
        assertThatThrownBy(() -> made(SLIDING.whenUnavailable(null))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeyHoldingAnotherAlgorithmsStateOrAnyOtherValueIsRefusedAndKept() {
        cache.rateLimit("sliding", SLIDING);
        cache.rateLimit("fixed", FIXED);
        cache.set("text", "hello", 60);
        for (String key : List.of("sliding", "text")) {
            assertThatThrownBy(() -> cache.rateLimit(key, FIXED)).isInstanceOf(CacheSerializationException.class)
                    .hasMessageContaining(key);
            assertThatThrownBy(() -> cache.rateLimit(key, BUCKET)).isInstanceOf(CacheSerializationException.class);
        }
        assertThatThrownBy(() -> cache.rateLimit("fixed", SLIDING)).isInstanceOf(CacheSerializationException.class);
        assertThatThrownBy(() -> cache.peekRateLimit("fixed", BUCKET)).isInstanceOf(CacheSerializationException.class);
        assertThat(cache.get("text", String.class)).isEqualTo("hello");
        assertThat(cache.get("sliding", long[].class)).hasSize(1);
        assertThat(cache.get("fixed", STATE)).containsEntry("count", 1L);
    }

    @Test
    void theSlidingWindowRuleIsTheRateLimitOfALimitAndAWindow() {
        RateLimitRule rule = RateLimitRule.slidingWindow(3, Duration.ofMinutes(1));
        cache.rateLimit("k", 3, Duration.ofMinutes(1));
        assertThat(cache.rateLimit("k", rule).remaining()).isEqualTo(1);
        assertThat(cache.rateLimit("k", 3, Duration.ofMinutes(1)).remaining()).isZero();
        assertThat(rule).isEqualTo(RateLimitRule.slidingWindow(3, Duration.ofMinutes(1)));
        assertThat(rule.toString()).isEqualTo("RateLimitRule.slidingWindow(3, PT1M)");
    }

    private static void made(RateLimitRule rule) {
        assertThat(rule).as("a rule that should have been refused").isNull();
    }
}
