package dev.fncache;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A key-value cache for one namespace, with per-key time-to-live and JSON values.
 *
 * <p>Values are stored as compact UTF-8 JSON without type information, so any JSON consumer can
 * read them and mutating an object after {@code set} never changes what is cached. A key whose TTL
 * has passed is absent for every operation. Instances are thread-safe; obtain them from
 * {@link FunctionCaches}. The full rules are in CONTRACT.md.
 */
public interface FunctionCache extends AutoCloseable {

    /** The TTL used by {@link #set(String, Object)}: one hour. */
    long DEFAULT_TTL_SECONDS = 3600;

    /** Stores {@code value} under {@code key} for {@link #DEFAULT_TTL_SECONDS}, replacing value and TTL. */
    void set(String key, Object value);

    /** Stores {@code value} under {@code key} for 1 to 315,360,000 seconds, replacing value and TTL. */
    void set(String key, Object value, long ttlSeconds);

    /** Stores {@code value} under {@code key} for {@code ttl} (1 s to 10 years, kept to the millisecond). */
    void set(String key, Object value, Duration ttl);

    /** The value read as {@code type}, or null when absent or expired. */
    <T> T get(String key, Class<T> type);

    /** The value read as a generic type, e.g. {@code new TypeRef<List<Call>>() {}}, or null. */
    <T> T get(String key, TypeRef<T> type);

    /** Whether {@code key} is live. */
    boolean has(String key);

    /** Removes {@code key}; true when a live key was removed. */
    boolean delete(String key);

    /** Adds {@code seconds} to the remaining lifetime of a live key; false when absent. */
    boolean extend(String key, long seconds);

    /** Every live key of this namespace, sorted by {@link String#compareTo}. */
    List<String> keys();

    /** Live keys matching a Redis-style glob ({@code * ? [abc] [^a] [a-z] \}), sorted. */
    List<String> keys(String pattern);

    /** The present keys among {@code keys}, in the order first asked, read as {@code type}. */
    <T> Map<String, T> getMany(Collection<String> keys, Class<T> type);

    /** The present keys among {@code keys}, in the order first asked, read as a generic type. */
    <T> Map<String, T> getMany(Collection<String> keys, TypeRef<T> type);

    /**
     * Atomically adds {@code delta} to an integer value and returns the result. An absent key is
     * created as {@code delta} with {@code ttlSeconds}; a present key keeps its TTL.
     */
    long increment(String key, long delta, long ttlSeconds);

    /** Stores the value only if {@code key} is absent; true for the one caller that stored it. */
    boolean setIfAbsent(String key, Object value, long ttlSeconds);

    /** The remaining lifetime of {@code key}, or null when absent. */
    Duration ttl(String key);

    /**
     * The cached value, or else the loader's result, cached when non-null. Concurrent callers for
     * one key in this process share a single loader call.
     */
    <T> T getOrSet(String key, Class<T> type, long ttlSeconds, Supplier<? extends T> loader);

    /** Releases this cache's resources; every later call throws {@link IllegalStateException}. */
    @Override
    void close();
}
