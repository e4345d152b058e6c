package dev.fncache.spi;

import dev.fncache.CacheCheck;
import java.util.List;
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

    /**
     * What {@code fncache doctor} checks beyond opening the store and a write, read and delete:
     * how the server or file is set up for production, as far as the URL's user may see. Each
     * check answers on its own and throws nothing. By default, none.
     */
    default List<CacheCheck> checks(StoreConfig config) {
        return List.of();
    }
}
