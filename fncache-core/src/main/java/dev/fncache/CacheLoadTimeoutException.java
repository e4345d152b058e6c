package dev.fncache;

/**
 * {@link FunctionCache#getOrSet} waited longer than the cache's load timeout for a loader
 * running elsewhere (another thread, another instance) to store the value. Nothing was stored by
 * this call.
 */
public class CacheLoadTimeoutException extends CacheException {
    private static final long serialVersionUID = 1L;

    public CacheLoadTimeoutException(String message) {
        super(message);
    }
}
