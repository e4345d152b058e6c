package dev.fncache.examples;

import dev.fncache.FunctionCache;
import dev.fncache.RateLimit;
import dev.fncache.RateLimitRule;
import java.time.Duration;

/**
 * At most {@value #LIMIT} messages per sender in any hour (a sliding window), and campaigns paced
 * by a token bucket, each message costing its segments; exact across every instance.
 */
public final class SmsRateLimiter {
    public static final int LIMIT = 10;

    private final FunctionCache cache;

    public SmsRateLimiter(FunctionCache cache) {
        this.cache = cache;
    }

    // README: rate limiting
    static final RateLimitRule PER_SENDER = RateLimitRule.slidingWindow(LIMIT, Duration.ofHours(1)); // 10 in any hour
    static final RateLimitRule CAMPAIGN = RateLimitRule.tokenBucket(100, 5, Duration.ofSeconds(1))   // bursts of 100, then 5/s
            .whenUnavailable(RateLimitRule.WhenUnavailable.DENY);                                     // never send unchecked

    public RateLimit allow(String senderNumber) {
        return cache.rateLimit("sms:" + senderNumber, PER_SENDER);
    }

    public RateLimit allowCampaign(String campaignId, int segments) {  // a long text costs one token per segment
        return cache.rateLimit("campaign:" + campaignId, CAMPAIGN, segments);
    }
    // README: end
}
