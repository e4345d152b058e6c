package dev.fncache.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code fncache.*}: which cache the application opens and how its Spring caches keep values.
 * The URL is the one setting that moves an application from memory to SQLite or Redis.
 */
@ConfigurationProperties("fncache")
public class FncacheProperties {
    /** The cache's URL ({@code memory:}, {@code sqlite:PATH}, {@code redis://...}); FNCACHE_URL when unset, else memory:. */
    private String url;
    /** The namespace every instance of the application shares; {@code spring.application.name} when unset. */
    private String namespace;
    private final Cache cache = new Cache();

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public Cache getCache() {
        return cache;
    }

    /** {@code fncache.cache.*}: the Spring caches ({@code @Cacheable}) kept in the namespace. */
    public static class Cache {
        /** How long a value a Spring cache stores lives, unless {@code ttls} names its cache. */
        private Duration ttl = Duration.ofHours(1);
        /** Lifetimes by cache name, e.g. {@code fncache.cache.ttls.customers=5m}. */
        private final Map<String, Duration> ttls = new LinkedHashMap<>();

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        public Map<String, Duration> getTtls() {
            return ttls;
        }
    }
}
