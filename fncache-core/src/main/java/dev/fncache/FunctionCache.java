package dev.fncache;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A key-value cache for one namespace, with per-key time-to-live and JSON values.
 *
 * <p>Values are stored as compact UTF-8 JSON without type information, so any JSON consumer can
 * read them and mutating an object after {@code set} never changes what is cached. A key whose TTL
 * has passed is absent for every operation. Instances are thread-safe; obtain them from
 * {@link FunctionCaches}. The full rules are in the repository's docs/CONTRACT.md.
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

    /** Adds {@code duration} (1 s to 10 years, to the millisecond) to the remaining lifetime; false when absent. */
    boolean extend(String key, Duration duration);

    /** Every live key, sorted by {@link String#compareTo}: the whole list at once; page large namespaces. */
    List<String> keys();

    /** Live keys matching a Redis-style glob ({@code * ? [abc] [^a] [a-z] \}), sorted, all at once. */
    List<String> keys(String pattern);

    /**
     * One page of the live keys matching {@code pattern}: up to {@code limit} (1 to 10,000) in
     * code point order, after {@code cursor} (null: from the start); pass the page's
     * {@link KeyPage#nextCursor()} for the next. A key live for the whole walk is returned once.
     */
    KeyPage keys(String pattern, int limit, String cursor);

    /** Removes every live key matching {@code pattern}, a page at a time; returns how many. */
    long deleteAll(String pattern);

    /** Stores up to 10,000 entries with one TTL; all are checked first, so a bad one stores none. */
    void setMany(Map<String, ?> entries, long ttlSeconds);

    /** {@link #setMany(Map, long)} with the TTL as a Duration. */
    void setMany(Map<String, ?> entries, Duration ttl);

    /** Removes up to 10,000 keys, all checked first; returns how many were live. */
    long deleteMany(Collection<String> keys);

    /** The present keys among {@code keys}, in the order first asked, read as {@code type}. */
    <T> Map<String, T> getMany(Collection<String> keys, Class<T> type);

    /** The present keys among {@code keys}, in the order first asked, read as a generic type. */
    <T> Map<String, T> getMany(Collection<String> keys, TypeRef<T> type);

    /**
     * Atomically adds {@code delta} to an integer value and returns the result. An absent key is
     * created as {@code delta} with {@code ttlSeconds}; a present key keeps its TTL.
     */
    long increment(String key, long delta, long ttlSeconds);

    /** {@link #increment(String, long, long)} with the TTL of a created counter as a Duration. */
    long increment(String key, long delta, Duration ttl);

    /** Stores the value only if {@code key} is absent; true for the one caller that stored it. */
    boolean setIfAbsent(String key, Object value, long ttlSeconds);

    /** {@link #setIfAbsent(String, Object, long)} with the TTL as a Duration. */
    boolean setIfAbsent(String key, Object value, Duration ttl);

    /** The live value with its remaining lifetime and version, or null when absent. */
    <T> CacheEntry<T> getEntry(String key, Class<T> type);

    /** {@link #getEntry(String, Class)} for a generic type. */
    <T> CacheEntry<T> getEntry(String key, TypeRef<T> type);

    /**
     * Compare-and-set, atomic across instances: stores {@code value} with the TTL only when the
     * key's version is still {@code expectedVersion} (from {@link #getEntry}), or, when that is
     * null, only when the key is absent. True when stored.
     */
    boolean replace(String key, String expectedVersion, Object value, long ttlSeconds);

    /** {@link #replace(String, String, Object, long)} with the TTL as a Duration. */
    boolean replace(String key, String expectedVersion, Object value, Duration ttl);

    /**
     * Reads the value (null when absent), applies {@code fn}, and stores its result with the TTL
     * if no other writer changed the key meanwhile; otherwise reads again and retries, with
     * backoff, up to 100 times before a {@link CacheConflictException}. {@code fn} may run more
     * than once, so it must have no side effects; returning null stores nothing. Returns what was
     * stored, or null.
     */
    <T> T update(String key, Class<T> type, long ttlSeconds, UnaryOperator<T> fn);

    /** {@link #update(String, Class, long, UnaryOperator)} with the TTL as a Duration. */
    <T> T update(String key, Class<T> type, Duration ttl, UnaryOperator<T> fn);

    /**
     * Counts one hit against a sliding window, atomically across instances: allowed while fewer
     * than {@code limit} (1 to 10,000) allowed hits lie in the last {@code window} (1 s to 10
     * years). The key holds the JSON array of the allowed hits' epoch milliseconds and expires a
     * window after the last one.
     */
    RateLimit rateLimit(String key, int limit, Duration window);

    /** The remaining lifetime of {@code key}, or null when absent. */
    Duration ttl(String key);

    /**
     * The cached value, or else the loader's result, cached when non-null. The loader runs once
     * per key at a time across every instance sharing the store: one caller takes a lease on the
     * key, the others wait for the value (or take over when the lease ends without one). A caller
     * that waits longer than the load timeout gets a {@link CacheLoadTimeoutException}.
     */
    <T> T getOrSet(String key, Class<T> type, long ttlSeconds, Supplier<? extends T> loader);

    /** {@link #getOrSet(String, Class, long, Supplier)} with the TTL as a Duration. */
    <T> T getOrSet(String key, Class<T> type, Duration ttl, Supplier<? extends T> loader);

    /** {@link #getOrSet(String, Class, long, Supplier)} for a generic type. */
    <T> T getOrSet(String key, TypeRef<T> type, long ttlSeconds, Supplier<? extends T> loader);

    /** {@link #getOrSet(String, Class, long, Supplier)} for a generic type, with the TTL as a Duration. */
    <T> T getOrSet(String key, TypeRef<T> type, Duration ttl, Supplier<? extends T> loader);

    /** Releases this cache's resources; every later call throws {@link IllegalStateException}. */
    @Override
    void close();
}
