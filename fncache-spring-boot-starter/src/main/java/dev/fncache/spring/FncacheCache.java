package dev.fncache.spring;

import dev.fncache.FunctionCache;
import dev.fncache.TypeRef;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.springframework.cache.Cache;
import org.springframework.cache.support.SimpleValueWrapper;

/**
 * One Spring cache, kept in a {@link FunctionCache}'s namespace under {@code NAME:} (see
 * {@link SpringCacheKeys}), its values read as {@link #valueType()}: the return type of the
 * method the {@link FncacheCacheResolver} resolved it for, or {@code Object} (JSON's maps, lists,
 * strings and numbers) when reached through {@link FncacheCacheManager#getCache(String)}. A
 * {@code get} with a loader ({@code @Cacheable(sync = true)}) is {@link FunctionCache#getOrSet}:
 * one loader call for a key at a time across every instance. Null values are not cached.
 */
public final class FncacheCache implements Cache {
    private static final int PUT_IF_ABSENT_ATTEMPTS = 10;
    private final String name;
    private final FunctionCache cache;
    private final Duration ttl;
    private final TypeRef<Object> valueType;
    private final Executor executor;

    @SuppressWarnings("unchecked")
    FncacheCache(String name, FunctionCache cache, Duration ttl, TypeRef<?> valueType, Executor executor) {
        this.name = name;
        this.cache = cache;
        this.ttl = ttl;
        this.valueType = (TypeRef<Object>) valueType;
        this.executor = executor;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public FunctionCache getNativeCache() {
        return cache;
    }

    /** The type this view reads values as. */
    public TypeRef<?> valueType() {
        return valueType;
    }

    /** How long the values it stores live. */
    public Duration ttl() {
        return ttl;
    }

    private String key(Object key) {
        return SpringCacheKeys.of(name, key);
    }

    @Override
    public ValueWrapper get(Object key) {
        Object value = cache.get(key(key), valueType);
        return value == null ? null : new SimpleValueWrapper(value);
    }

    @Override
    public <T> T get(Object key, Class<T> type) {
        return cache.get(key(key), type);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Callable<T> valueLoader) {
        try {
            return (T) cache.<Object>getOrSet(key(key), valueType, ttl, () -> {
                try {
                    return valueLoader.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new LoaderFailure(e);
                }
            });
        } catch (LoaderFailure failure) {
            throw new ValueRetrievalException(key, valueLoader, failure.getCause());
        }
    }

    @Override
    public CompletableFuture<?> retrieve(Object key) {
        String stored = key(key);
        return CompletableFuture.supplyAsync(() -> cache.get(stored, valueType), executor);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
        String stored = key(key);
        return CompletableFuture.supplyAsync(() -> (T) cache.<Object>getOrSet(stored, valueType, ttl, () -> {
            try {
                return valueLoader.get().join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
            }
        }), executor);
    }

    @Override
    public void put(Object key, Object value) {
        cache.set(key(key), requireValue(value), ttl);
    }

    @Override
    public ValueWrapper putIfAbsent(Object key, Object value) {
        String stored = key(key);
        Object candidate = requireValue(value);
        for (int attempt = 0; attempt < PUT_IF_ABSENT_ATTEMPTS; attempt++) {
            Object present = cache.get(stored, valueType);
            if (present != null) {
                return new SimpleValueWrapper(present);
            }
            if (cache.setIfAbsent(stored, candidate, ttl)) {
                return null;
            }
        }
        throw new IllegalStateException("cache '" + name + "': key " + stored + " was present for setIfAbsent and "
                + "absent when read, " + PUT_IF_ABSENT_ATTEMPTS + " times (it expires as soon as it is written)");
    }

    private Object requireValue(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("cache '" + name + "' does not store null values (fncache keeps none); "
                    + "skip them with @Cacheable(unless = \"#result == null\")");
        }
        return value;
    }

    @Override
    public void evict(Object key) {
        cache.delete(key(key));
    }

    @Override
    public boolean evictIfPresent(Object key) {
        return cache.delete(key(key));
    }

    @Override
    public void clear() {
        cache.deleteAll(SpringCacheKeys.everyKeyOf(name));
    }

    @Override
    public boolean invalidate() {
        return cache.deleteAll(SpringCacheKeys.everyKeyOf(name)) > 0;
    }

    /** A checked exception of a loader, carried through {@link FunctionCache#getOrSet}'s supplier. */
    private static final class LoaderFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoaderFailure(Exception cause) {
            super(cause);
        }
    }

    @Override
    public String toString() {
        return "FncacheCache[" + name + ", " + valueType + ", ttl " + ttl + "]";
    }
}
