package dev.fncache.spi;

/**
 * What one rate-limit call came to, as a store answers {@link CacheStore#hit}.
 *
 * @param allowed          whether the hit was allowed (and, unless peeked, counted)
 * @param remaining        hits of cost 1 the rule still allows now, after this one
 * @param retryAfterMillis when denied, milliseconds until the hit would be allowed; else 0
 */
public record RateLimitHit(boolean allowed, long remaining, long retryAfterMillis) {
}
