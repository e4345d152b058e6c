package dev.fncache.spi;

import dev.fncache.CacheStatsRecorder;
import java.time.Clock;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a backend needs to open the store of one namespace.
 *
 * @param url          the parsed cache URL
 * @param namespace    a valid namespace name
 * @param clock        the time source; backends with a server clock may ignore it
 * @param housekeeping where the store runs its background work
 * @param stats        the cache's recorder, for what only the store sees (a near cache's hits)
 * @param nearCache    the builder's near cache, or null for none; a backend without near caches
 *                     ignores it, and a URL's own {@code nearCache} option takes its place
 */
public record StoreConfig(CacheUrl url, String namespace, Clock clock, Housekeeping housekeeping,
        CacheStatsRecorder stats, @Nullable NearCacheBounds nearCache) {
    public StoreConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(housekeeping, "housekeeping");
        Objects.requireNonNull(stats, "stats");
    }

    /** A config without a near cache from the builder. */
    public StoreConfig(CacheUrl url, String namespace, Clock clock, Housekeeping housekeeping,
            CacheStatsRecorder stats) {
        this(url, namespace, clock, housekeeping, stats, null);
    }

    /** A config that records nothing. */
    public StoreConfig(CacheUrl url, String namespace, Clock clock, Housekeeping housekeeping) {
        this(url, namespace, clock, housekeeping, CacheStatsRecorder.disabled());
    }

    /** A config whose background work runs on {@link Housekeeping#background()}. */
    public StoreConfig(CacheUrl url, String namespace, Clock clock) {
        this(url, namespace, clock, Housekeeping.background());
    }
}
