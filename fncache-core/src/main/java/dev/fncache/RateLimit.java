package dev.fncache;

import java.time.Duration;

/**
 * The answer of {@link FunctionCache#rateLimit}: whether this hit is allowed, how many more
 * the window allows now, and, when denied, how long until the next hit would be allowed.
 *
 * @param allowed    whether this hit was allowed and counted
 * @param remaining  hits still allowed in the window after this one (0 when denied)
 * @param retryAfter zero when allowed; else the time until the oldest counted hit leaves the window
 */
public record RateLimit(boolean allowed, int remaining, Duration retryAfter) {
}
