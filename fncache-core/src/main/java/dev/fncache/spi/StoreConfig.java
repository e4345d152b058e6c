package dev.fncache.spi;

import java.time.Clock;
import java.util.Objects;

/**
 * What a backend needs to open the store of one namespace.
 *
 * @param url          the parsed cache URL
 * @param namespace    a valid namespace name
 * @param clock        the time source; backends with a server clock may ignore it
 * @param housekeeping where the store runs its background work
 */
public record StoreConfig(CacheUrl url, String namespace, Clock clock, Housekeeping housekeeping) {
    public StoreConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(housekeeping, "housekeeping");
    }

    /** A config whose background work runs on {@link Housekeeping#background()}. */
    public StoreConfig(CacheUrl url, String namespace, Clock clock) {
        this(url, namespace, clock, Housekeeping.background());
    }
}
