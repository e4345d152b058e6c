package dev.fncache.jcache;

import dev.fncache.CacheEntry;
import dev.fncache.FunctionCache;
import dev.fncache.KeyPage;
import dev.fncache.TypeRef;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import javax.cache.processor.MutableEntry;
import org.jspecify.annotations.Nullable;

/**
 * A JCache cache stored in one fncache namespace. Every change is a compare-and-set on the
 * stored entry ({@link FunctionCache#getEntry} then {@link FunctionCache#replace}), so
 * {@code putIfAbsent}, {@code replace}, {@code getAndPut}, the conditional removals and entry
 * processors are atomic across every instance sharing the store; expiry is kept in the entry to
 * the millisecond; loaders, writers, listeners and statistics act in this instance.
 */
public final class FncacheJCache<K, V> implements Cache<K, V> {
    private static final TypeRef<StoredMapping> MAPPING = TypeRef.of(StoredMapping.class);
    private static final java.time.Duration LONGEST_TTL = java.time.Duration.ofSeconds(315_360_000);
    private static final java.time.Duration REMOVAL_TTL = java.time.Duration.ofSeconds(1);
    private static final int KEY_PAGE = 1_000;
    /** loadAll calls of one cache run on at most this many threads; more wait their turn. */
    private static final int LOAD_THREADS = 4;

    private final String name;
    private final FncacheCacheManager manager;
    private final MutableConfiguration<K, V> configuration;
    private final FunctionCache store;
    private final ObjectCodec codec;
    private final Clock clock;
    private final ExpiryPolicy expiry;
    private final @Nullable CacheLoader<K, V> loader;
    private final @Nullable CacheWriter<K, V> writer;
    private final JCacheStatistics statistics = new JCacheStatistics();
    private final EntryListeners<K, V> listeners;
    private final ExecutorService loads;
    private volatile boolean closed;

    FncacheJCache(String name, FncacheCacheManager manager, MutableConfiguration<K, V> configuration,
            FunctionCache store, ObjectCodec codec, Clock clock) {
        this.name = name;
        this.manager = manager;
        this.configuration = configuration;
        this.store = store;
        this.codec = codec;
        this.clock = clock;
        this.expiry = configuration.getExpiryPolicyFactory().create();
        this.loader = configuration.getCacheLoaderFactory() == null ? null : configuration.getCacheLoaderFactory().create();
        this.writer = configuration.getCacheWriterFactory() == null ? null : writer(configuration);
        this.listeners = new EntryListeners<>(this, name);
        for (CacheEntryListenerConfiguration<K, V> listener : configuration.getCacheEntryListenerConfigurations()) {
            listeners.register(listener);
        }
        ThreadPoolExecutor loadThreads = new ThreadPoolExecutor(LOAD_THREADS, LOAD_THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "fncache-jcache-load-" + name);
                    thread.setDaemon(true);
                    return thread;
                });
        loadThreads.allowCoreThreadTimeOut(true);
        this.loads = loadThreads;
        statistics.enable(configuration.isStatisticsEnabled());
    }

    @SuppressWarnings("unchecked")
    private static <K, V> CacheWriter<K, V> writer(MutableConfiguration<K, V> configuration) {
        return (CacheWriter<K, V>) configuration.getCacheWriterFactory().create();
    }

    /** A stored entry as read: its version (null when the store holds nothing) and live value. */
    private record Current<V>(String storeKey, @Nullable String version, @Nullable V value, long expiresAt) {
        boolean present() {
            return value != null;
        }
    }

    @Override
    public @Nullable V get(K key) {
        checkOpen();
        requireKey(key);
        long start = System.nanoTime();
        Current<V> current = read(key);
        if (current.present()) {
            statistics.hits(1);
            accessed(key, current);
            statistics.getTime(start);
            return current.value();
        }
        statistics.misses(1);
        V loaded = readThrough(key);
        statistics.getTime(start);
        return loaded;
    }

    @Override
    public Map<K, V> getAll(Set<? extends K> keys) {
        checkOpen();
        requireKeys(keys);
        long start = System.nanoTime();
        Map<K, V> found = new LinkedHashMap<>();
        Set<K> missing = new LinkedHashSet<>();
        for (K key : keys) {
            Current<V> current = read(key);
            if (current.present()) {
                statistics.hits(1);
                accessed(key, current);
                found.put(key, current.value());
            } else {
                statistics.misses(1);
                missing.add(key);
            }
        }
        if (!missing.isEmpty() && configuration.isReadThrough() && loader != null) {
            Map<K, V> loaded;
            try {
                loaded = loader.loadAll(missing);
            } catch (CacheLoaderException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new CacheLoaderException("the cache loader failed on loadAll: " + e, e);
            }
            if (loaded != null) {
                for (Map.Entry<K, V> entry : loaded.entrySet()) {
                    if (entry.getKey() != null && entry.getValue() != null && missing.contains(entry.getKey())) {
                        storeLoaded(entry.getKey(), entry.getValue(), false);
                        found.put(entry.getKey(), entry.getValue());
                    }
                }
            }
        }
        statistics.getTime(start);
        return found;
    }

    @Override
    public boolean containsKey(K key) {
        checkOpen();
        requireKey(key);
        return read(key).present();
    }

    @Override
    public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, @Nullable CompletionListener listener) {
        checkOpen();
        requireKeys(keys);
        if (loader == null) {
            if (listener != null) {
                listener.onCompletion();
            }
            return;
        }
        Set<K> asked = new LinkedHashSet<>(keys);
        loads.execute(() -> {
            try {
                Set<K> toLoad = new LinkedHashSet<>();
                for (K key : asked) {
                    if (replaceExistingValues || !read(key).present()) {
                        toLoad.add(key);
                    }
                }
                Map<K, V> loaded = toLoad.isEmpty() ? Map.of() : loader.loadAll(toLoad);
                if (loaded != null) {
                    for (Map.Entry<K, V> entry : loaded.entrySet()) {
                        if (entry.getKey() != null && entry.getValue() != null) {
                            storeLoaded(entry.getKey(), entry.getValue(), replaceExistingValues);
                        }
                    }
                }
                if (listener != null) {
                    listener.onCompletion();
                }
            } catch (Exception e) {
                if (listener != null) {
                    listener.onException(e instanceof CacheLoaderException ? e
                            : new CacheLoaderException("the cache loader failed on loadAll: " + e, e));
                }
            }
        });
    }

    @Override
    public void put(K key, V value) {
        checkOpen();
        requireEntry(key, value);
        long start = System.nanoTime();
        writeThrough(key, value);
        if (putStored(key, value) != Outcome.SKIPPED) {
            statistics.puts(1);
        }
        statistics.putTime(start);
    }

    @Override
    public @Nullable V getAndPut(K key, V value) {
        checkOpen();
        requireEntry(key, value);
        long start = System.nanoTime();
        writeThrough(key, value);
        while (true) {
            Current<V> current = read(key);
            if (change(current, key, value) != Outcome.LOST) {
                statistics.puts(1);
                if (current.present()) {
                    statistics.hits(1);
                } else {
                    statistics.misses(1);
                }
                statistics.putTime(start);
                statistics.getTime(start);
                return current.value();
            }
        }
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> map) {
        checkOpen();
        Objects.requireNonNull(map, "map");
        for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
            requireEntry(entry.getKey(), entry.getValue());
        }
        long start = System.nanoTime();
        Map<K, V> toStore = new LinkedHashMap<>(map);
        CacheWriterException failure = null;
        if (configuration.isWriteThrough() && writer != null) {
            Collection<Cache.Entry<? extends K, ? extends V>> entries = new ArrayList<>();
            for (Map.Entry<K, V> entry : toStore.entrySet()) {
                entries.add(new Entry<>(entry.getKey(), entry.getValue()));
            }
            try {
                writer.writeAll(entries);
            } catch (Exception e) {
                failure = e instanceof CacheWriterException cwe ? cwe
                        : new CacheWriterException("the cache writer failed on writeAll: " + e, e);
                for (Cache.Entry<? extends K, ? extends V> unwritten : entries) {
                    toStore.remove(unwritten.getKey());
                }
            }
        }
        for (Map.Entry<K, V> entry : toStore.entrySet()) {
            if (putStored(entry.getKey(), entry.getValue()) != Outcome.SKIPPED) {
                statistics.puts(1);
            }
        }
        statistics.putTime(start);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public boolean putIfAbsent(K key, V value) {
        checkOpen();
        requireEntry(key, value);
        long start = System.nanoTime();
        while (true) {
            Current<V> current = read(key);
            if (current.present()) {
                statistics.hits(1);
                return false;
            }
            writeThrough(key, value);
            if (change(current, key, value) != Outcome.LOST) {
                statistics.misses(1);
                statistics.puts(1);
                statistics.putTime(start);
                return true;
            }
        }
    }

    @Override
    public boolean remove(K key) {
        checkOpen();
        requireKey(key);
        long start = System.nanoTime();
        deleteThrough(key);
        while (true) {
            Current<V> current = read(key);
            if (!current.present()) {
                return false;
            }
            if (removeStored(key, current)) {
                statistics.removals(1);
                statistics.removeTime(start);
                return true;
            }
        }
    }

    @Override
    public boolean remove(K key, V oldValue) {
        checkOpen();
        requireEntry(key, oldValue);
        long start = System.nanoTime();
        while (true) {
            Current<V> current = read(key);
            if (!current.present()) {
                statistics.misses(1);
                return false;
            }
            if (!current.value().equals(oldValue)) {
                statistics.hits(1);
                accessed(key, current);
                return false;
            }
            deleteThrough(key);
            if (removeStored(key, current)) {
                statistics.hits(1);
                statistics.removals(1);
                statistics.removeTime(start);
                return true;
            }
        }
    }

    @Override
    public @Nullable V getAndRemove(K key) {
        checkOpen();
        requireKey(key);
        long start = System.nanoTime();
        deleteThrough(key);
        while (true) {
            Current<V> current = read(key);
            if (!current.present()) {
                statistics.misses(1);
                statistics.getTime(start);
                return null;
            }
            if (removeStored(key, current)) {
                statistics.hits(1);
                statistics.removals(1);
                statistics.removeTime(start);
                statistics.getTime(start);
                return current.value();
            }
        }
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        checkOpen();
        requireEntry(key, oldValue);
        Objects.requireNonNull(newValue, "newValue");
        requireValueType(newValue);
        long start = System.nanoTime();
        while (true) {
            Current<V> current = read(key);
            if (!current.present()) {
                statistics.misses(1);
                return false;
            }
            if (!current.value().equals(oldValue)) {
                statistics.hits(1);
                accessed(key, current);
                return false;
            }
            writeThrough(key, newValue);
            if (change(current, key, newValue) != Outcome.LOST) {
                statistics.hits(1);
                statistics.puts(1);
                statistics.putTime(start);
                return true;
            }
        }
    }

    @Override
    public boolean replace(K key, V value) {
        return getAndReplace(key, value, false) != null;
    }

    @Override
    public @Nullable V getAndReplace(K key, V value) {
        return getAndReplace(key, value, true);
    }

    private @Nullable V getAndReplace(K key, V value, boolean timesGet) {
        checkOpen();
        requireEntry(key, value);
        long start = System.nanoTime();
        while (true) {
            Current<V> current = read(key);
            if (!current.present()) {
                statistics.misses(1);
                if (timesGet) {
                    statistics.getTime(start);
                }
                return null;
            }
            writeThrough(key, value);
            if (change(current, key, value) != Outcome.LOST) {
                statistics.hits(1);
                statistics.puts(1);
                statistics.putTime(start);
                if (timesGet) {
                    statistics.getTime(start);
                }
                return current.value();
            }
        }
    }

    @Override
    public void removeAll(Set<? extends K> keys) {
        checkOpen();
        requireKeys(keys);
        removeEach(new LinkedHashSet<>(keys));
    }

    @Override
    public void removeAll() {
        checkOpen();
        Set<K> keys = new LinkedHashSet<>();
        for (Iterator<Cache.Entry<K, V>> it = entries(false); it.hasNext(); ) {
            keys.add(it.next().getKey());
        }
        removeEach(keys);
    }

    private void removeEach(Set<K> keys) {
        long start = System.nanoTime();
        Set<K> toRemove = new LinkedHashSet<>(keys);
        CacheWriterException failure = null;
        if (configuration.isWriteThrough() && writer != null && !keys.isEmpty()) {
            Collection<Object> unwritten = new ArrayList<>(keys);
            try {
                writer.deleteAll(unwritten);
            } catch (Exception e) {
                failure = e instanceof CacheWriterException cwe ? cwe
                        : new CacheWriterException("the cache writer failed on deleteAll: " + e, e);
                toRemove.removeAll(unwritten);
            }
        }
        for (K key : toRemove) {
            while (true) {
                Current<V> current = read(key);
                if (!current.present()) {
                    break;
                }
                if (removeStored(key, current)) {
                    statistics.removals(1);
                    break;
                }
            }
        }
        statistics.removeTime(start);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void clear() {
        checkOpen();
        store.deleteAll("*");
    }

    @Override
    public <C extends Configuration<K, V>> C getConfiguration(Class<C> type) {
        if (type.isInstance(configuration)) {
            return type.cast(configuration);
        }
        throw new IllegalArgumentException("the configuration is a " + configuration.getClass().getName()
                + ", not a " + type.getName());
    }

    @Override
    public <T> @Nullable T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
        checkOpen();
        requireKey(key);
        Objects.requireNonNull(processor, "entryProcessor");
        boolean counted = false;
        while (true) {
            Current<V> current = read(key);
            if (!counted) {
                counted = true;
                if (current.present()) {
                    statistics.hits(1);
                } else {
                    statistics.misses(1);
                }
            }
            ProcessedEntry entry = new ProcessedEntry(key, current);
            T result;
            try {
                result = processor.process(entry, arguments);
            } catch (EntryProcessorException e) {
                throw e;
            } catch (Exception e) {
                throw new EntryProcessorException(e);
            }
            if (entry.apply()) {
                return result;
            }
        }
    }

    @Override
    public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> processor,
            Object... arguments) {
        checkOpen();
        requireKeys(keys);
        Objects.requireNonNull(processor, "entryProcessor");
        Map<K, EntryProcessorResult<T>> results = new LinkedHashMap<>();
        for (K key : keys) {
            try {
                T result = invoke(key, processor, arguments);
                if (result != null) {
                    results.put(key, () -> result);
                }
            } catch (EntryProcessorException e) {
                results.put(key, () -> {
                    throw e;
                });
            }
        }
        return results;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public CacheManager getCacheManager() {
        return manager;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        manager.release(this);
        loads.shutdown();
        listeners.close();
        EntryListeners.closeQuietly(loader);
        EntryListeners.closeQuietly(writer);
        EntryListeners.closeQuietly(expiry);
        store.close();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** This cache, or the {@link FunctionCache} it stores in. */
    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        if (type.isInstance(store)) {
            return type.cast(store);
        }
        throw new IllegalArgumentException("a fncache JCache cannot be unwrapped to " + type.getName());
    }

    @Override
    public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        checkOpen();
        Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
        configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
        listeners.register(listenerConfiguration);
    }

    @Override
    public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        checkOpen();
        Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
        configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
        listeners.deregister(listenerConfiguration);
    }

    @Override
    public Iterator<Cache.Entry<K, V>> iterator() {
        checkOpen();
        return entries(true);
    }

    JCacheStatistics statistics() {
        return statistics;
    }

    MutableConfiguration<K, V> configuration() {
        return configuration;
    }

    void enableStatistics(boolean enabled) {
        configuration.setStatisticsEnabled(enabled);
        statistics.enable(enabled);
    }

    void enableManagement(boolean enabled) {
        configuration.setManagementEnabled(enabled);
    }

    // Reading and writing the stored entry

    private Current<V> read(K key) {
        String storeKey = ObjectCodec.storeKey(codec.encode(key));
        while (true) {
            CacheEntry<StoredMapping> entry = store.getEntry(storeKey, MAPPING);
            if (entry == null) {
                return new Current<>(storeKey, null, null, 0);
            }
            StoredMapping mapping = entry.value();
            long now = clock.millis();
            if (mapping.v() == null) {
                return new Current<>(storeKey, entry.version(), null, 0);
            }
            if (mapping.liveAt(now)) {
                return new Current<>(storeKey, entry.version(), value(mapping.v()), mapping.x());
            }
            if (store.replace(storeKey, entry.version(), new StoredMapping(mapping.k(), null, now), REMOVAL_TTL)) {
                listeners.expired(key, value(mapping.v()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private V value(String encoded) {
        return (V) codec.decode(encoded, configuration.getValueType());
    }

    /** What {@link #change} did: stored the value, stored nothing (expired at once), or lost a race. */
    private enum Outcome { STORED, SKIPPED, LOST }

    /** Stores a put's value (creation or update expiry), whatever the entry holds meanwhile. */
    private Outcome putStored(K key, V value) {
        while (true) {
            Outcome outcome = change(read(key), key, value);
            if (outcome != Outcome.LOST) {
                return outcome;
            }
        }
    }

    /**
     * Sets the value when the entry is still {@code current}, with the creation or update
     * expiry, and tells the listeners; LOST when another writer changed it first.
     */
    private Outcome change(Current<V> current, K key, V value) {
        long expiresAt = current.present() ? updatedExpiry(current) : createdExpiry();
        if (!current.present() && expiresAt <= clock.millis()) {
            return Outcome.SKIPPED;
        }
        if (!write(current, key, value, expiresAt)) {
            return Outcome.LOST;
        }
        if (current.present()) {
            listeners.updated(key, value, current.value());
        } else {
            listeners.created(key, value);
        }
        return Outcome.STORED;
    }

    private boolean write(Current<V> current, K key, V value, long expiresAt) {
        StoredMapping mapping = new StoredMapping(codec.encode(key), codec.encode(value), expiresAt);
        long remaining = expiresAt - clock.millis();
        java.time.Duration ttl = expiresAt == StoredMapping.ETERNAL || remaining >= LONGEST_TTL.toMillis()
                ? LONGEST_TTL : java.time.Duration.ofMillis(Math.max(1_000, remaining));
        return store.replace(current.storeKey(), current.version(), mapping, ttl);
    }

    private boolean removeStored(K key, Current<V> current) {
        StoredMapping removal = new StoredMapping(codec.encode(key), null, clock.millis());
        if (!store.replace(current.storeKey(), current.version(), removal, REMOVAL_TTL)) {
            return false;
        }
        listeners.removed(key, current.value());
        return true;
    }

    private void storeLoaded(K key, V value, boolean replaceExisting) {
        while (true) {
            Current<V> current = read(key);
            if (current.present() && !replaceExisting) {
                return;
            }
            if (change(current, key, value) != Outcome.LOST) {
                return;
            }
        }
    }

    private @Nullable V readThrough(K key) {
        if (!configuration.isReadThrough() || loader == null) {
            return null;
        }
        V loaded = load(key);
        if (loaded != null) {
            storeLoaded(key, loaded, false);
        }
        return loaded;
    }

    private @Nullable V load(K key) {
        try {
            return loader.load(key);
        } catch (CacheLoaderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheLoaderException("the cache loader failed on " + key + ": " + e, e);
        }
    }

    private void writeThrough(K key, V value) {
        if (configuration.isWriteThrough() && writer != null) {
            try {
                writer.write(new Entry<>(key, value));
            } catch (CacheWriterException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new CacheWriterException("the cache writer failed on " + key + ": " + e, e);
            }
        }
    }

    private void deleteThrough(K key) {
        if (configuration.isWriteThrough() && writer != null) {
            try {
                writer.delete(key);
            } catch (CacheWriterException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new CacheWriterException("the cache writer failed to delete " + key + ": " + e, e);
            }
        }
    }

    // Expiry

    private long createdExpiry() {
        Duration duration;
        try {
            duration = expiry.getExpiryForCreation();
        } catch (RuntimeException e) {
            duration = Duration.ETERNAL;
        }
        return expiresAt(duration == null ? Duration.ETERNAL : duration);
    }

    private long updatedExpiry(Current<V> current) {
        Duration duration;
        try {
            duration = expiry.getExpiryForUpdate();
        } catch (RuntimeException e) {
            duration = null;
        }
        return duration == null ? current.expiresAt() : expiresAt(duration);
    }

    /** Applies the access expiry to an entry just read, when the policy changes it. */
    private void accessed(K key, Current<V> current) {
        Duration duration;
        try {
            duration = expiry.getExpiryForAccess();
        } catch (RuntimeException e) {
            duration = null;
        }
        if (duration != null) {
            write(current, key, current.value(), expiresAt(duration));
        }
    }

    private long expiresAt(Duration duration) {
        if (duration.isEternal()) {
            return StoredMapping.ETERNAL;
        }
        long now = clock.millis();
        if (duration.isZero()) {
            return now;
        }
        long millis = Math.max(1, duration.getTimeUnit().toMillis(duration.getDurationAmount()));
        return millis >= StoredMapping.ETERNAL - now ? StoredMapping.ETERNAL : now + millis;
    }

    // Arguments and state

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the cache " + name + " is closed");
        }
    }

    private void requireKey(K key) {
        Objects.requireNonNull(key, "key");
        if (!configuration.getKeyType().isInstance(key)) {
            throw new ClassCastException("the key must be a " + configuration.getKeyType().getName() + ", but was a "
                    + key.getClass().getName());
        }
    }

    private void requireKeys(Set<? extends K> keys) {
        Objects.requireNonNull(keys, "keys");
        for (K key : keys) {
            requireKey(key);
        }
    }

    private void requireValueType(V value) {
        if (!configuration.getValueType().isInstance(value)) {
            throw new ClassCastException("the value must be a " + configuration.getValueType().getName()
                    + ", but was a " + value.getClass().getName());
        }
    }

    private void requireEntry(K key, V value) {
        requireKey(key);
        Objects.requireNonNull(value, "value");
        requireValueType(value);
    }

    // Iteration

    private Iterator<Cache.Entry<K, V>> entries(boolean asRead) {
        return new Iterator<>() {
            private @Nullable String cursor;
            private boolean lastPage;
            private final List<String> page = new ArrayList<>();
            private Cache.@Nullable Entry<K, V> next;
            private Cache.@Nullable Entry<K, V> last;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    if (page.isEmpty()) {
                        if (lastPage) {
                            return false;
                        }
                        KeyPage keys = store.keys("*", KEY_PAGE, cursor);
                        page.addAll(keys.keys());
                        cursor = keys.nextCursor();
                        lastPage = cursor == null;
                        continue;
                    }
                    next = entryAt(page.remove(0));
                }
                return true;
            }

            @Override
            public Cache.Entry<K, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                last = next;
                next = null;
                return last;
            }

            @Override
            public void remove() {
                if (last == null) {
                    throw new IllegalStateException("next() was not called, or the entry was removed already");
                }
                FncacheJCache.this.remove(last.getKey());
                last = null;
            }

            @SuppressWarnings("unchecked")
            private Cache.@Nullable Entry<K, V> entryAt(String storeKey) {
                CacheEntry<StoredMapping> stored = store.getEntry(storeKey, MAPPING);
                if (stored == null || stored.value().v() == null) {
                    return null;
                }
                K key = (K) codec.decode(stored.value().k(), configuration.getKeyType());
                Current<V> current = read(key);
                if (!current.present()) {
                    return null;
                }
                if (asRead) {
                    statistics.hits(1);
                    accessed(key, current);
                }
                return new Entry<>(key, current.value());
            }
        };
    }

    /** An entry as the cache gives it out: a key and value copied from the store. */
    public static final class Entry<K, V> implements Cache.Entry<K, V> {
        private final K key;
        private final V value;

        Entry(K key, V value) {
            this.key = key;
            this.value = value;
        }

        @Override
        public K getKey() {
            return key;
        }

        @Override
        public V getValue() {
            return value;
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            if (type.isInstance(this)) {
                return type.cast(this);
            }
            throw new IllegalArgumentException("a cache entry cannot be unwrapped to " + type.getName());
        }
    }

    /** The entry an entry processor sees and changes; {@link #apply} stores what it did. */
    private final class ProcessedEntry implements MutableEntry<K, V> {
        private final K key;
        private final Current<V> current;
        private @Nullable V value;
        private boolean exists;
        private boolean loaded;
        private boolean read;
        private boolean set;
        private boolean removed;
        private boolean createdThenRemoved;

        ProcessedEntry(K key, Current<V> current) {
            this.key = key;
            this.current = current;
            this.value = current.value();
            this.exists = current.present();
        }

        @Override
        public K getKey() {
            return key;
        }

        @Override
        public @Nullable V getValue() {
            if (!set && !removed && !read) {
                read = true;
                if (!exists) {
                    if (configuration.isReadThrough() && loader != null) {
                        V loadedValue = load(key);
                        if (loadedValue != null) {
                            value = loadedValue;
                            exists = true;
                            loaded = true;
                        }
                    }
                }
            }
            return value;
        }

        @Override
        public boolean exists() {
            return exists;
        }

        @Override
        public void remove() {
            createdThenRemoved = set && !current.present();
            value = null;
            exists = false;
            set = false;
            loaded = false;
            removed = true;
        }

        @Override
        public void setValue(V newValue) {
            Objects.requireNonNull(newValue, "value");
            requireValueType(newValue);
            value = newValue;
            exists = true;
            set = true;
            loaded = false;
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            if (type.isInstance(this)) {
                return type.cast(this);
            }
            throw new IllegalArgumentException("a mutable entry cannot be unwrapped to " + type.getName());
        }

        /** Stores the processor's change; false when another writer changed the entry first. */
        boolean apply() {
            long start = System.nanoTime();
            if (set) {
                writeThrough(key, value);
                if (change(current, key, value) == Outcome.LOST) {
                    return false;
                }
                statistics.puts(1);
                statistics.putTime(start);
                return true;
            }
            if (removed) {
                if (createdThenRemoved) {
                    return true;
                }
                deleteThrough(key);
                if (!current.present()) {
                    return true;
                }
                if (!removeStored(key, current)) {
                    return false;
                }
                statistics.removals(1);
                statistics.removeTime(start);
                return true;
            }
            if (loaded) {
                storeLoaded(key, value, false);
                return true;
            }
            if (read && current.present()) {
                accessed(key, current);
            }
            return true;
        }
    }
}
