package dev.fncache.examples;

import dev.fncache.FunctionCache;

/** At most {@value #LIMIT} messages per sender per hour, exact across every instance of the function. */
public final class SmsRateLimiter {
    public static final int LIMIT = 10;

    private final FunctionCache cache;

    public SmsRateLimiter(FunctionCache cache) {
        this.cache = cache;
    }

    // README: rate limiting
    public boolean allow(String senderNumber) {
        long sent = cache.increment("sms-count:" + senderNumber, 1, 3600); // window opens on the first message
        return sent <= LIMIT;
    }
    // README: end
}
