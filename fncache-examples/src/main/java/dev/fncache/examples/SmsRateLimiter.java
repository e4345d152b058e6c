package dev.fncache.examples;

import dev.fncache.FunctionCache;
import dev.fncache.RateLimit;
import java.time.Duration;

/** At most {@value #LIMIT} messages per sender in any hour (a sliding window), exact across every instance. */
public final class SmsRateLimiter {
    public static final int LIMIT = 10;

    private final FunctionCache cache;

    public SmsRateLimiter(FunctionCache cache) {
        this.cache = cache;
    }

    // README: rate limiting
    public RateLimit allow(String senderNumber) {
        return cache.rateLimit("sms:" + senderNumber, LIMIT, Duration.ofHours(1)); // at most 10 in any hour
    }
    // README: end
}
