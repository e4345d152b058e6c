package dev.fncache.examples;

import java.net.URI;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;

/** docs/jcache.md's example: a JCache cache on an fncache URL, counting calls atomically. */
public final class JCacheCounters {
    private JCacheCounters() {
    }

    /** Counts one call from {@code caller} and returns the count so far. */
    public static long countCall(String url, String caller) {
        // README: jcache
        CacheManager manager = Caching.getCachingProvider().getCacheManager(URI.create(url), null);
        Cache<String, Long> calls = manager.getCache("calls", String.class, Long.class);
        if (calls == null) {
            calls = manager.createCache("calls", new MutableConfiguration<String, Long>()
                    .setTypes(String.class, Long.class)
                    .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR)));
        }
        // atomic across every instance on the same URL: no call is lost to a race
        return calls.invoke(caller, (entry, arguments) -> {
            entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
            return entry.getValue();
        });
        // README: end
    }
}
