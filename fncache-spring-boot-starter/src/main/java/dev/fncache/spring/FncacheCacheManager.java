package dev.fncache.spring;

import dev.fncache.FunctionCache;
import dev.fncache.TypeRef;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.cache.CacheManager;

/**
 * Spring caches kept in one {@link FunctionCache} namespace, each under its name (see
 * {@link FncacheCache}); a cache is created on first use, and lives for {@code ttlOf} a name.
 * Every instance of the application sharing the namespace shares the caches.
 */
public final class FncacheCacheManager implements CacheManager, DisposableBean {
    private static final int MAX_NAME_LENGTH = 200;
    /** The most threads async methods' cache calls ({@code retrieve}) run on at once; the rest wait their turn. */
    static final int ASYNC_THREADS = 16;

    private final FunctionCache cache;
    private final Duration defaultTtl;
    private final Map<String, Duration> ttls;
    private final Map<String, Map<Type, FncacheCache>> views = new ConcurrentHashMap<>();
    private final ExecutorService executor;

    /**
     * @param defaultTtl the lifetime of a value a cache stores, unless {@code ttls} names the cache
     */
    public FncacheCacheManager(FunctionCache cache, Duration defaultTtl, Map<String, Duration> ttls) {
        if (cache == null) {
            throw new IllegalArgumentException("cache must not be null");
        }
        this.cache = cache;
        this.defaultTtl = checkedTtl("fncache.cache.ttl", defaultTtl);
        ttls.forEach((name, ttl) -> checkedTtl("fncache.cache.ttls." + name, ttl));
        this.ttls = Map.copyOf(ttls);
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(ASYNC_THREADS, ASYNC_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "fncache-spring-cache-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
    }

    private static Duration checkedTtl(String property, Duration ttl) {
        if (ttl == null || ttl.toMillis() < 1 || ttl.getSeconds() > 315_360_000L) {
            throw new IllegalArgumentException(property + " must be between 1 ms and 10 years, but was " + ttl);
        }
        return ttl;
    }

    @Override
    public FncacheCache getCache(String name) {
        return getCache(name, Object.class);
    }

    /** The cache {@code name}, reading values as {@code valueType}. */
    public FncacheCache getCache(String name, Type valueType) {
        checkName(name);
        return views.computeIfAbsent(name, unused -> new ConcurrentHashMap<>()).computeIfAbsent(valueType,
                type -> new FncacheCache(name, cache, ttls.getOrDefault(name, defaultTtl), TypeRef.of(type), executor));
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a cache name must be 1 to " + MAX_NAME_LENGTH
                    + " characters without control characters, but was " + (name == null ? "null" : "'" + name + "'"));
        }
    }

    @Override
    public Collection<String> getCacheNames() {
        return Collections.unmodifiableSet(Set.copyOf(views.keySet()));
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
