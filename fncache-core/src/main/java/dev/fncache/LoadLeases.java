package dev.fncache;

import dev.fncache.spi.CacheStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every load under a key's lease shares: releasing the lease, and pausing between tries. */
final class LoadLeases {
    private static final Logger LOG = LoggerFactory.getLogger(LoadLeases.class);

    private LoadLeases() {
    }

    /** A lease that cannot be released (the store just failed) ends by itself at its expiry. */
    static void releaseQuietly(CacheStore store, String key, String token) {
        try {
            store.releaseLease(key, token);
        } catch (RuntimeException e) {
            LOG.debug("could not release the load lease; it expires by itself", e);
        }
    }

    /** Sleeps between tries; an interrupt ends the call with {@link CacheLoadTimeoutException}. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheLoadTimeoutException("interrupted while waiting to retry");
        }
    }
}
