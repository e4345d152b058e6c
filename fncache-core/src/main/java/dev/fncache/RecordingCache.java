package dev.fncache;

import dev.fncache.CacheStatsRecorder.Outcome;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A cache that tells a {@link CacheStatsRecorder} what each call did: its latency and outcome,
 * and the hits, misses, writes, removals and loads it caused. Used only when a recorder is set,
 * so a cache without one pays nothing.
 */
final class RecordingCache implements FunctionCache {
    private final FunctionCache cache;
    private final CacheStatsRecorder stats;

    RecordingCache(FunctionCache cache, CacheStatsRecorder stats) {
        this.cache = cache;
        this.stats = stats;
    }

    /** One operation: runs it and records its latency and outcome, also when it throws. */
    private <T> T timed(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            T result = call.get();
            stats.recordOperation(operation, Outcome.OK, System.nanoTime() - start);
            return result;
        } catch (RuntimeException | Error e) {
            stats.recordOperation(operation, outcome(e), System.nanoTime() - start);
            throw e;
        }
    }

    private static Outcome outcome(Throwable failure) {
        if (failure instanceof CacheUnavailableException) {
            return Outcome.UNAVAILABLE;
        }
        if (failure instanceof IllegalArgumentException || failure instanceof CacheSerializationException) {
            return Outcome.INVALID;
        }
        return Outcome.FAILED;
    }

    private <T> T read(T value) {
        stats.recordGets(value != null ? 1 : 0, value != null ? 0 : 1);
        return value;
    }

    private boolean wrote(boolean stored) {
        if (stored) {
            stats.recordPuts(1);
        }
        return stored;
    }

    private <T> T written(T storedValue) {
        if (storedValue != null) {
            stats.recordPuts(1);
        }
        return storedValue;
    }

    @Override
    public void set(String key, Object value, Duration ttl) {
        timed("set", () -> {
            cache.set(key, value, ttl);
            return wrote(true);
        });
    }

    @Override
    public <T> T get(String key, TypeRef<T> type) {
        return timed("get", () -> read(cache.get(key, type)));
    }

    @Override
    public boolean has(String key) {
        return timed("has", () -> cache.has(key));
    }

    @Override
    public boolean delete(String key) {
        return timed("delete", () -> removed(cache.delete(key) ? 1 : 0) == 1);
    }

    private long removed(long count) {
        if (count > 0) {
            stats.recordRemovals(count);
        }
        return count;
    }

    @Override
    public boolean extend(String key, Duration duration) {
        return timed("extend", () -> cache.extend(key, duration));
    }

    @Override
    public KeyPage keys(String pattern, int limit, String cursor) {
        return timed("keys", () -> cache.keys(pattern, limit, cursor));
    }

    @Override
    public long deleteAll(String pattern) {
        return timed("deleteAll", () -> removed(cache.deleteAll(pattern)));
    }

    @Override
    public void setMany(Map<String, ?> entries, Duration ttl) {
        timed("setMany", () -> {
            cache.setMany(entries, ttl);
            stats.recordPuts(entries.size());
            return null;
        });
    }

    @Override
    public long deleteMany(Collection<String> keys) {
        return timed("deleteMany", () -> removed(cache.deleteMany(keys)));
    }

    @Override
    public <T> Map<String, T> getMany(Collection<String> keys, TypeRef<T> type) {
        return timed("getMany", () -> readMany(keys, cache.getMany(keys, type)));
    }

    private <T> Map<String, T> readMany(Collection<String> asked, Map<String, T> found) {
        stats.recordGets(found.size(), new HashSet<>(asked).size() - found.size());
        return found;
    }

    @Override
    public long increment(String key, long delta, Duration ttl) {
        return timed("increment", () -> written(cache.increment(key, delta, ttl)));
    }

    @Override
    public boolean setIfAbsent(String key, Object value, Duration ttl) {
        return timed("setIfAbsent", () -> wrote(cache.setIfAbsent(key, value, ttl)));
    }

    @Override
    public <T> CacheEntry<T> getEntry(String key, TypeRef<T> type) {
        return timed("getEntry", () -> read(cache.getEntry(key, type)));
    }

    @Override
    public boolean replace(String key, String expectedVersion, Object value, Duration ttl) {
        return timed("replace", () -> wrote(cache.replace(key, expectedVersion, value, ttl)));
    }

    @Override
    public <T> T update(String key, TypeRef<T> type, Duration ttl, UnaryOperator<T> fn) {
        return timed("update", () -> written(cache.update(key, type, ttl, fn)));
    }

    @Override
    public RateLimit rateLimit(String key, int limit, Duration window) {
        return timed("rateLimit", () -> {
            RateLimit result = cache.rateLimit(key, limit, window);
            wrote(result.allowed());
            return result;
        });
    }

    @Override
    public Duration ttl(String key) {
        return timed("ttl", () -> cache.ttl(key));
    }

    @Override
    public <T> T getOrSet(String key, TypeRef<T> type, Duration ttl, Supplier<? extends T> loader) {
        return timed("getOrSet", () -> this.<T>loading(loader, timedLoader -> cache.getOrSet(key, type, ttl, timedLoader)));
    }

    /**
     * Runs a getOrSet with the loader timed: a call whose loader ran is a miss (and a put when it
     * returned a value); one served from the cache, or by another caller's load, is a hit.
     */
    private <T> T loading(Supplier<? extends T> loader, java.util.function.Function<Supplier<T>, T> getOrSet) {
        boolean[] loaded = {false};
        Supplier<T> timedLoader = loader == null ? null : () -> {
            loaded[0] = true;
            long start = System.nanoTime();
            T value;
            try {
                value = loader.get();
            } catch (RuntimeException | Error e) {
                stats.recordLoad(false, System.nanoTime() - start);
                throw e;
            }
            stats.recordLoad(value != null, System.nanoTime() - start);
            return value;
        };
        T value = getOrSet.apply(timedLoader);
        stats.recordGets(loaded[0] ? 0 : 1, loaded[0] ? 1 : 0);
        if (loaded[0] && value != null) {
            stats.recordPuts(1);
        }
        return value;
    }

    @Override
    public void close() {
        cache.close();
    }

    @Override
    public String toString() {
        return cache.toString();
    }
}
