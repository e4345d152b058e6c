package dev.fncache.spi;

import java.util.Set;

/**
 * A storage backend, discovered with {@link java.util.ServiceLoader} by URL scheme. Register an
 * implementation in {@code META-INF/services/dev.fncache.spi.CacheBackend}.
 */
public interface CacheBackend {

    /** The URL schemes this backend opens, e.g. {@code "sqlite"}. */
    Set<String> schemes();

    /**
     * Opens the store of one namespace. The namespace is already validated. Throws
     * {@link IllegalArgumentException} for a malformed URL and
     * {@link dev.fncache.CacheUnavailableException} when the store cannot be reached.
     */
    CacheStore open(StoreConfig config);
}
