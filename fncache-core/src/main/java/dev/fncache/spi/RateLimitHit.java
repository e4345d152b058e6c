package dev.fncache.spi;

/**
 * What one rate-limit hit came to, as a store answers {@link CacheStore#hit}.
 *
 * @param allowed          whether the hit was allowed (and recorded)
 * @param hits             hits in the window after this one
 * @param retryAfterMillis when denied, milliseconds until the oldest counted hit leaves the window; else 0
 */
public record RateLimitHit(boolean allowed, int hits, long retryAfterMillis) {
}
