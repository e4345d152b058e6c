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
    private final Console console = new Console();
    private final Metrics metrics = new Metrics();

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

    public Console getConsole() {
        return console;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    /** {@code fncache.console.*}: the cache console, served on a port of its own when a token is set. */
    public static class Console {
        /** The console's login token (16 characters or more); no console without it. */
        private String token;
        /** The address the console listens on: loopback unless the console must be reached from elsewhere. */
        private String host = "127.0.0.1";
        /** The console's port (0: any free port). */
        private int port = 8081;

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }
    }

    /** {@code fncache.metrics.*}: the cache's meters in the application's registry. */
    public static class Metrics {
        /** Whether the cache's meters ({@code cache.gets}, ...) go to the application's MeterRegistry. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
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
