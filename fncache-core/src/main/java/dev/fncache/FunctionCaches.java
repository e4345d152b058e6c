package dev.fncache;

import dev.fncache.internal.Arguments;
import dev.fncache.spi.CacheBackend;
import dev.fncache.spi.CacheStore;
import dev.fncache.spi.CacheUrl;
import dev.fncache.spi.Housekeeping;
import dev.fncache.spi.NearCacheBounds;
import dev.fncache.spi.StoreConfig;
import dev.fncache.support.MessageText;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Opens {@link FunctionCache}s by URL: {@code memory:}, {@code sqlite:PATH}, {@code redis://HOST}
 * {@code redis-cluster://HOST:PORT,...} or {@code redis-sentinel://HOST:PORT,...?master=NAME}. The backend for a scheme is found on the class path,
 * so switching from development to production is a change of URL, not of code.
 */
public final class FunctionCaches {
    /** The environment variable read when no URL is given. */
    public static final String URL_VARIABLE = "FNCACHE_URL";
    /** The URL used when {@value #URL_VARIABLE} is not set. */
    public static final String DEFAULT_URL = "memory:";
    /** The default largest serialized value: 1 MiB. */
    public static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;

    /** How long one {@code getOrSet} load may hold its key's lease unless the builder says otherwise. */
    public static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofSeconds(30);

    private static final Map<String, String> ARTIFACT_BY_SCHEME = Map.of(
            "memory", "dev.fncache:fncache-core",
            "sqlite", "dev.fncache:fncache-sqlite",
            "redis", "dev.fncache:fncache-redis",
            "rediss", "dev.fncache:fncache-redis",
            "redis-cluster", "dev.fncache:fncache-redis",
            "redis-sentinel", "dev.fncache:fncache-redis");

    private FunctionCaches() {
    }

    /** Opens {@code namespace} at {@code url}. */
    public static FunctionCache open(String url, String namespace) {
        return builder().url(url).namespace(namespace).build();
    }

    /** Opens {@code namespace} at the URL in {@code FNCACHE_URL}, or in memory when it is unset. */
    public static FunctionCache open(String namespace) {
        return builder().namespace(namespace).build();
    }

    /** A builder for the less common settings: clock, value size limit, load timeout, stats, near cache. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for opening a cache; {@link #namespace} is required. */
    public static final class Builder {
        private String url;
        private String namespace;
        private Clock clock = Clock.systemUTC();
        private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
        private Duration loadTimeout = DEFAULT_LOAD_TIMEOUT;
        private CacheStatsRecorder.Factory stats;
        private Housekeeping housekeeping = Housekeeping.background();
        private @Nullable NearCacheBounds nearCache;

        private Builder() {
        }

        /** The cache URL; by default {@code FNCACHE_URL}, else {@code memory:}. */
        public Builder url(String url) {
            if (url == null) {
                throw new IllegalArgumentException("url must not be null");
            }
            this.url = url;
            return this;
        }

        /** The namespace, normally the function's name: 1 to 64 of {@code A-Z a-z 0-9 . _ -}. */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** The time source for TTLs; obeyed by memory and sqlite, while Redis uses its server's clock. */
        public Builder clock(Clock clock) {
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null");
            }
            this.clock = clock;
            return this;
        }

        /** The largest serialized value accepted by {@code set}, 1 byte to 512 MiB; default 1 MiB. */
        public Builder maxValueBytes(int maxValueBytes) {
            this.maxValueBytes = Arguments.maxValueBytes(maxValueBytes);
            return this;
        }

        /**
         * How long one {@code getOrSet} load may hold its key's lease, 100 ms to 1 hour; default
         * 30 s. When a loader runs longer (or its instance died), another caller may take over
         * and load again; a caller waits at most twice this for someone else's load, then gets a
         * {@link CacheLoadTimeoutException}.
         */
        public Builder loadTimeout(Duration loadTimeout) {
            if (loadTimeout == null || loadTimeout.compareTo(Duration.ofMillis(100)) < 0
                    || loadTimeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("loadTimeout must be between PT0.1S and PT1H, but was " + loadTimeout);
            }
            this.loadTimeout = loadTimeout;
            return this;
        }

        /**
         * Where the cache reports its hits, misses, writes, loads and each operation's latency and
         * outcome (for example {@code FunctionCacheMetrics.recorder(registry)} of fncache-micrometer);
         * default none, which costs nothing.
         */
        public Builder stats(CacheStatsRecorder.Factory stats) {
            this.stats = Arguments.notNull("stats", stats);
            return this;
        }

        /**
         * Where the store runs its background work (reclaiming expired entries, pruning key
         * indexes): default {@link Housekeeping#background()}, one daemon thread for the JVM;
         * {@link Housekeeping#manual()} for a test that runs it when it chooses, or a benchmark
         * that leaves it out. A store shared by several caches (a memory database, a SQLite file)
         * keeps the housekeeping of the cache that opened it first.
         */
        public Builder housekeeping(Housekeeping housekeeping) {
            this.housekeeping = Arguments.notNull("housekeeping", housekeeping);
            return this;
        }

        /**
         * Keeps this instance's copies of up to {@code maxEntries} values it read, at most
         * 64 MiB of them, on Redis: as the URL option
         * {@code ?nearCache=MAX_ENTRIES} (CONTRACT rule 28, and when to turn it on, in
         * docs/backends.md). A URL that gives {@code nearCache} itself is obeyed instead, so an
         * operator tunes it without a code change; memory and sqlite, read in process already,
         * ignore it, so the same code runs on every URL.
         */
        public Builder nearCache(int maxEntries) {
            return nearCache(maxEntries, NearCacheBounds.DEFAULT_BYTES);
        }

        /** As {@link #nearCache(int)}, the copies bounded to {@code maxBytes} (1024 bytes to 1 TiB) too. */
        public Builder nearCache(int maxEntries, long maxBytes) {
            this.nearCache = new NearCacheBounds(maxEntries, maxBytes);
            return this;
        }

        /** Opens the cache, or throws {@link IllegalArgumentException} / {@link CacheUnavailableException}. */
        public FunctionCache build() {
            String namespace = Arguments.namespace(this.namespace);
            CacheUrl cacheUrl = CacheUrl.parse(url != null ? url : urlFromEnvironment());
            CacheBackend backend = backendFor(cacheUrl);
            CacheStatsRecorder recorder = stats == null ? CacheStatsRecorder.disabled() : stats.create(namespace, cacheUrl.scheme());
            if (recorder == null) {
                throw new IllegalArgumentException("stats must create a recorder, but returned null for namespace " + namespace);
            }
            CacheStore store = backend.open(new StoreConfig(cacheUrl, namespace, clock, housekeeping, recorder, nearCache));
            return new StoreBackedCache(store, cacheUrl, namespace, maxValueBytes, loadTimeout, recorder, clock);
        }
    }

    /**
     * Checks a deployment for one namespace: the store opens with this URL (reached,
     * authenticated), a write, read and delete of a probe key work, and the backend's own checks
     * ({@link CacheBackend#checks}: for Redis the function library, the user's confinement to
     * its namespace, eviction and persistence; for SQLite the journal mode and free disk). Never
     * throws for a store that fails; a malformed URL or namespace is an
     * {@link IllegalArgumentException}. {@code fncache doctor} prints the same list.
     */
    public static List<CacheCheck> doctor(String url, String namespace) {
        CacheUrl cacheUrl = CacheUrl.parse(Arguments.notNull("url", url));
        String checked = Arguments.namespace(namespace);
        CacheBackend backend = backendFor(cacheUrl);
        List<CacheCheck> checks = new ArrayList<>();
        FunctionCache cache;
        try {
            cache = builder().url(url).namespace(checked).housekeeping(Housekeeping.manual()).build();
        } catch (RuntimeException e) {
            checks.add(CacheCheck.fail("opens", e.getMessage()));
            return checks;
        }
        try (cache) {
            checks.add(CacheCheck.pass("opens", cacheUrl + " answers, as this URL's user"));
            checks.add(roundTrip(cache));
        }
        checks.addAll(backend.checks(new StoreConfig(cacheUrl, checked, Clock.systemUTC(), Housekeeping.manual())));
        return checks;
    }

    private static CacheCheck roundTrip(FunctionCache cache) {
        String key = "fncache-doctor:" + UUID.randomUUID();
        try {
            cache.set(key, "probe", Duration.ofMinutes(1));
            boolean read = "probe".equals(cache.get(key, String.class));
            boolean deleted = cache.delete(key);
            return read && deleted ? CacheCheck.pass("write, read, delete", "a probe key was stored, read back and deleted")
                    : CacheCheck.fail("write, read, delete", "a probe key was stored but " + (read ? "not deleted" : "not read back"));
        } catch (RuntimeException e) {
            return CacheCheck.fail("write, read, delete", e.getMessage());
        }
    }

    /** The URL the environment names: {@value #URL_VARIABLE}, else (unset or blank) {@value #DEFAULT_URL}. */
    public static String urlFromEnvironment() {
        String fromEnvironment = System.getenv(URL_VARIABLE);
        return fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_URL : fromEnvironment;
    }

    private static CacheBackend backendFor(CacheUrl url) {
        for (CacheBackend backend : LoadedBackends.ALL) {
            if (backend.schemes().contains(url.scheme())) {
                return backend;
            }
        }
        String artifact = ARTIFACT_BY_SCHEME.get(url.scheme());
        if (artifact == null) {
            throw new IllegalArgumentException("url scheme " + MessageText.quoted(url.scheme())
                    + " is unknown; use memory:, sqlite:PATH, redis://HOST:PORT, rediss://HOST:PORT or "
                    + "redis-cluster://HOST:PORT,... or redis-sentinel://HOST:PORT,...?master=NAME, but was " + MessageText.quoted(url.toString()));
        }
        throw new IllegalArgumentException("url scheme " + MessageText.quoted(url.scheme())
                + " needs the backend jar " + artifact + " on the class path; add that dependency (url was "
                + MessageText.quoted(url.toString()) + ")");
    }

    /** The backends on the class path, loaded once, when the first cache opens. */
    private static final class LoadedBackends {
        static final List<CacheBackend> ALL = List.copyOf(ServiceLoader.load(CacheBackend.class,
                FunctionCaches.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList());
    }
}
