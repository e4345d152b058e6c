package dev.fncache;

import java.time.Duration;

/**
 * The answer of {@link FunctionCache#rateLimit} and {@link FunctionCache#peekRateLimit}: whether
 * the hit is allowed, how many hits of cost 1 the rule still allows now, and, when denied, how
 * long until it would be allowed.
 *
 * @param allowed    whether this hit was allowed (and counted, unless peeked)
 * @param remaining  hits of cost 1 still allowed after this one (for a peek: allowed now)
 * @param retryAfter zero when allowed; else the time until the same hit would be allowed (zero
 *                   too when the store was unavailable and the rule answered denied)
 */
public record RateLimit(boolean allowed, long remaining, Duration retryAfter) {
}
