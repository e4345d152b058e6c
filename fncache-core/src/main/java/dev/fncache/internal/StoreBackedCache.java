package dev.fncache.internal;

import com.fasterxml.jackson.databind.JavaType;
import dev.fncache.FunctionCache;
import dev.fncache.TypeRef;
import dev.fncache.spi.CacheStore;
import dev.fncache.spi.CacheUrl;
import dev.fncache.spi.GlobPattern;
import dev.fncache.spi.Shown;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The one implementation of {@link FunctionCache}: it validates arguments, encodes and decodes
 * JSON and shares {@code getOrSet} loads, and leaves storage to a backend's {@link CacheStore}.
 */
public final class StoreBackedCache implements FunctionCache {
    private final CacheStore store;
    private final CacheUrl url;
    private final String namespace;
    private final int maxValueBytes;
    private final AtomicBoolean closed = new AtomicBoolean();

    public StoreBackedCache(CacheStore store, CacheUrl url, String namespace, int maxValueBytes) {
        this.store = store;
        this.url = url;
        this.namespace = namespace;
        this.maxValueBytes = maxValueBytes;
    }

    @Override
    public void set(String key, Object value) {
        set(key, value, DEFAULT_TTL_SECONDS);
    }

    @Override
    public void set(String key, Object value, long ttlSeconds) {
        ensureOpen();
        Arguments.key(key);
        long ttlMillis = Arguments.ttlSeconds("ttlSeconds", ttlSeconds);
        store.put(key, encode(key, value), ttlMillis);
    }

    @Override
    public void set(String key, Object value, Duration ttl) {
        ensureOpen();
        Arguments.key(key);
        long ttlMillis = Arguments.ttl(ttl);
        store.put(key, encode(key, value), ttlMillis);
    }

    @Override
    public <T> T get(String key, Class<T> type) {
        return get(key, JsonCodec.type(Arguments.notNull("type", type)));
    }

    @Override
    public <T> T get(String key, TypeRef<T> type) {
        return get(key, JsonCodec.type(Arguments.notNull("type", type).type()));
    }

    private <T> T get(String key, JavaType type) {
        ensureOpen();
        Arguments.key(key);
        byte[] json = store.get(key);
        return json == null ? null : JsonCodec.decode(key, json, type);
    }

    @Override
    public boolean has(String key) {
        ensureOpen();
        return store.contains(Arguments.key(key));
    }

    @Override
    public boolean delete(String key) {
        ensureOpen();
        return store.remove(Arguments.key(key));
    }

    @Override
    public boolean extend(String key, long seconds) {
        ensureOpen();
        Arguments.key(key);
        long addMillis = Arguments.ttlSeconds("seconds", seconds);
        long remaining = store.extend(key, addMillis, Arguments.MAX_TTL_MILLIS);
        if (remaining == CacheStore.LIMIT_EXCEEDED) {
            throw new IllegalArgumentException("seconds plus the remaining lifetime of key " + Shown.quoted(key)
                    + " must not pass " + Arguments.MAX_TTL_SECONDS + " seconds (10 years), but seconds was " + seconds);
        }
        return remaining != CacheStore.ABSENT;
    }

    @Override
    public List<String> keys() {
        return keys(GlobPattern.ALL);
    }

    @Override
    public List<String> keys(String pattern) {
        return keys(GlobPattern.compile(pattern));
    }

    private List<String> keys(GlobPattern pattern) {
        ensureOpen();
        List<String> keys = new ArrayList<>(store.keys(pattern));
        Collections.sort(keys);
        return Collections.unmodifiableList(keys);
    }

    @Override
    public <T> Map<String, T> getMany(Collection<String> keys, Class<T> type) {
        return getMany(keys, JsonCodec.type(Arguments.notNull("type", type)));
    }

    @Override
    public <T> Map<String, T> getMany(Collection<String> keys, TypeRef<T> type) {
        return getMany(keys, JsonCodec.type(Arguments.notNull("type", type).type()));
    }

    private <T> Map<String, T> getMany(Collection<String> keys, JavaType type) {
        ensureOpen();
        Arguments.notNull("keys", keys);
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        int index = 0;
        for (String key : keys) {
            distinct.add(Arguments.key("keys[" + index++ + "]", key));
        }
        if (distinct.isEmpty()) {
            return Collections.emptyMap();
        }
        List<String> asked = new ArrayList<>(distinct);
        List<byte[]> values = store.getAll(asked);
        Map<String, T> result = new LinkedHashMap<>();
        for (int i = 0; i < asked.size(); i++) {
            byte[] json = values.get(i);
            if (json != null) {
                result.put(asked.get(i), JsonCodec.decode(asked.get(i), json, type));
            }
        }
        return Collections.unmodifiableMap(result);
    }

    @Override
    public long increment(String key, long delta, long ttlSeconds) {
        ensureOpen();
        Arguments.key(key);
        return store.increment(key, delta, Arguments.ttlSeconds("ttlSeconds", ttlSeconds));
    }

    @Override
    public boolean setIfAbsent(String key, Object value, long ttlSeconds) {
        ensureOpen();
        Arguments.key(key);
        long ttlMillis = Arguments.ttlSeconds("ttlSeconds", ttlSeconds);
        return store.putIfAbsent(key, encode(key, value), ttlMillis);
    }

    @Override
    public Duration ttl(String key) {
        ensureOpen();
        long remaining = store.remainingMillis(Arguments.key(key));
        return remaining == CacheStore.ABSENT ? null : Duration.ofMillis(remaining);
    }

    @Override
    public <T> T getOrSet(String key, Class<T> type, long ttlSeconds, Supplier<? extends T> loader) {
        ensureOpen();
        Arguments.key(key);
        JavaType javaType = JsonCodec.type(Arguments.notNull("type", type));
        long ttlMillis = Arguments.ttlSeconds("ttlSeconds", ttlSeconds);
        Arguments.notNull("loader", loader);
        byte[] cached = store.get(key);
        if (cached != null) {
            return JsonCodec.decode(key, cached, javaType);
        }
        List<T> loadedHere = new ArrayList<>(1);
        byte[] json = SingleFlight.run(url + "\u0000" + namespace + "\u0000" + key, () -> {
            byte[] storedMeanwhile = store.get(key);
            if (storedMeanwhile != null) {
                return storedMeanwhile;
            }
            T loaded = loader.get();
            loadedHere.add(loaded);
            if (loaded == null) {
                return null;
            }
            byte[] encoded = encode(key, loaded);
            store.put(key, encoded, ttlMillis);
            return encoded;
        });
        if (!loadedHere.isEmpty()) {
            return loadedHere.get(0);
        }
        return json == null ? null : JsonCodec.decode(key, json, javaType);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            store.close();
        }
    }

    @Override
    public String toString() {
        return "FunctionCache[" + url + ", namespace=" + namespace + (closed.get() ? ", closed]" : "]");
    }

    private byte[] encode(String key, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("value for key " + Shown.quoted(key)
                    + " must not be null; use delete(key) to remove a key");
        }
        byte[] json = JsonCodec.encode(key, value);
        if (json.length > maxValueBytes) {
            throw new IllegalArgumentException("value for key " + Shown.quoted(key) + " must be at most "
                    + maxValueBytes + " bytes of JSON (maxValueBytes), but was " + json.length + " bytes");
        }
        return json;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this cache (" + url + ", namespace " + namespace
                    + ") is closed; open a new one with FunctionCaches.open");
        }
    }
}
