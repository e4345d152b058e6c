package dev.fncache;

import dev.fncache.internal.Arguments;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link FunctionCache#rateLimit(String, RateLimitRule, int)} counts (CONTRACT rule 27): one
 * of three algorithms, each exact across instances and constant or logarithmic in cost per call.
 * Immutable: {@link #whenUnavailable} returns a new rule.
 *
 * <pre>{@code
 * RateLimitRule perHour = RateLimitRule.slidingWindow(10, Duration.ofHours(1));   // no hour ever lets 11 through
 * RateLimitRule perMinute = RateLimitRule.fixedWindow(600, Duration.ofMinutes(1)); // 600 per clock minute
 * RateLimitRule bursts = RateLimitRule.tokenBucket(20, 1, Duration.ofSeconds(3))   // 20 at once, 1 more every 3 s
 *         .whenUnavailable(RateLimitRule.WhenUnavailable.ALLOW);                   // fail open if the store is down
 * }</pre>
 */
public final class RateLimitRule {
    /** The highest limit of a sliding window, whose key logs every allowed hit. */
    public static final int MAX_SLIDING_LIMIT = 10_000;
    /** The highest limit of a fixed window or capacity of a token bucket, whose state is two numbers. */
    public static final int MAX_COUNTER_LIMIT = 1_000_000_000;

    /** The counting algorithm of a rule. */
    public enum Algorithm {
        /** At most {@code limit} allowed hits in any span of {@code window}: a log of the allowed hits' times. */
        SLIDING_WINDOW,
        /** At most {@code limit} per window of the clock, windows aligned to multiples of {@code window} since the epoch. */
        FIXED_WINDOW,
        /** A bucket of {@code limit} tokens, {@code refillTokens} added back every {@code period}, up to the capacity. */
        TOKEN_BUCKET
    }

    /** What a call answers when the store cannot be reached. */
    public enum WhenUnavailable {
        /** Throws the {@link CacheUnavailableException} (the default). */
        THROW,
        /** Answers allowed: fail open, for limits that protect nothing critical. */
        ALLOW,
        /** Answers denied: fail closed, for limits that guard cost or abuse. */
        DENY
    }

    private final Algorithm algorithm;
    private final int limit;
    private final Duration period;
    private final int refillTokens;
    private final WhenUnavailable whenUnavailable;

    private RateLimitRule(Algorithm algorithm, int limit, Duration period, int refillTokens,
            WhenUnavailable whenUnavailable) {
        this.algorithm = algorithm;
        this.limit = limit;
        this.period = period;
        this.refillTokens = refillTokens;
        this.whenUnavailable = whenUnavailable;
    }

    /** Allows a hit while fewer than {@code limit} (1 to 10,000) allowed hits lie in the last {@code window} (1 s to 10 years). */
    public static RateLimitRule slidingWindow(int limit, Duration window) {
        between("limit", limit, 1, MAX_SLIDING_LIMIT);
        Arguments.ttl("window", window);
        return new RateLimitRule(Algorithm.SLIDING_WINDOW, limit, window, 0, WhenUnavailable.THROW);
    }

    /**
     * Allows {@code limit} (1 to 1,000,000,000) hits per window of {@code window} (1 s to 10
     * years); windows start at multiples of {@code window} since the epoch, so every instance
     * agrees on them. Up to twice the limit may pass in one window's span around a boundary.
     */
    public static RateLimitRule fixedWindow(int limit, Duration window) {
        between("limit", limit, 1, MAX_COUNTER_LIMIT);
        Arguments.ttl("window", window);
        return new RateLimitRule(Algorithm.FIXED_WINDOW, limit, window, 0, WhenUnavailable.THROW);
    }

    /**
     * A bucket of {@code capacity} tokens (1 to 1,000,000,000), full at first; a hit takes its
     * cost in tokens, and {@code refillTokens} (1 to capacity) come back every {@code refillEvery}
     * (1 ms to 10 years). An empty bucket must fill within 10 years.
     */
    public static RateLimitRule tokenBucket(int capacity, int refillTokens, Duration refillEvery) {
        between("capacity", capacity, 1, MAX_COUNTER_LIMIT);
        between("refillTokens", refillTokens, 1, capacity);
        Arguments.notNull("refillEvery", refillEvery);
        long every = refillEvery.toMillis();
        if (refillEvery.compareTo(Duration.ofMillis(1)) < 0 || every > Arguments.MAX_TTL_MILLIS) {
            throw new IllegalArgumentException("refillEvery must be between 1 ms and 10 years, but was " + refillEvery);
        }
        long periodsToFill = (capacity + (long) refillTokens - 1) / refillTokens;
        if (periodsToFill > Arguments.MAX_TTL_MILLIS / every) {
            throw new IllegalArgumentException("an empty bucket must fill within 10 years, but capacity " + capacity
                    + " at " + refillTokens + " tokens every " + refillEvery + " takes " + periodsToFill + " periods");
        }
        return new RateLimitRule(Algorithm.TOKEN_BUCKET, capacity, Duration.ofMillis(every), refillTokens,
                WhenUnavailable.THROW);
    }

    /** This rule, answering as {@code whenUnavailable} says when the store cannot be reached. */
    public RateLimitRule whenUnavailable(WhenUnavailable whenUnavailable) {
        return new RateLimitRule(algorithm, limit, period, refillTokens,
                Arguments.notNull("whenUnavailable", whenUnavailable));
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /** The limit of a window, or the capacity of a bucket. */
    public int limit() {
        return limit;
    }

    /** The window, or a bucket's {@code refillEvery}. */
    public Duration period() {
        return period;
    }

    /** Tokens a bucket gets back per period; 0 for windows. */
    public int refillTokens() {
        return refillTokens;
    }

    public WhenUnavailable whenUnavailable() {
        return whenUnavailable;
    }

    private static void between(String name, int value, int low, int high) {
        if (value < low || value > high) {
            throw new IllegalArgumentException(name + " must be between " + low + " and " + high + ", but was " + value);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RateLimitRule rule && rule.algorithm == algorithm && rule.limit == limit
                && rule.period.equals(period) && rule.refillTokens == refillTokens
                && rule.whenUnavailable == whenUnavailable;
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, limit, period, refillTokens, whenUnavailable);
    }

    @Override
    public String toString() {
        String shape = switch (algorithm) {
            case SLIDING_WINDOW -> "slidingWindow(" + limit + ", " + period + ")";
            case FIXED_WINDOW -> "fixedWindow(" + limit + ", " + period + ")";
            case TOKEN_BUCKET -> "tokenBucket(" + limit + ", " + refillTokens + ", " + period + ")";
        };
        return "RateLimitRule." + shape + (whenUnavailable == WhenUnavailable.THROW ? ""
                : ".whenUnavailable(" + whenUnavailable + ")");
    }
}
