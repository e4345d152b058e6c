package dev.fncache;

import dev.fncache.internal.Arguments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A key-value cache for one namespace, with per-key time-to-live and JSON values.
 *
 * <p>Values are stored as compact UTF-8 JSON without type information, so any JSON consumer can
 * read them and mutating an object after {@code set} never changes what is cached. A key whose TTL
 * has passed is absent for every operation. Instances are thread-safe; obtain them from
 * {@link FunctionCaches}. The full rules are in the repository's docs/CONTRACT.md.
 *
 * <p>Each capability has one abstract method, taking a {@link Duration} and a {@link TypeRef};
 * the forms with a {@code Class}, with {@code long} seconds, or without a TTL are {@code default}
 * methods over it. Every method throws {@link IllegalArgumentException} for an argument outside its
 * rule (named, with the rule and the value; nothing is changed), {@link CacheUnavailableException}
 * when the store cannot be reached, and {@link IllegalStateException} once the cache is closed.
 */
public interface FunctionCache extends AutoCloseable {

    /** The TTL used by {@link #set(String, Object)}: one hour. */
    long DEFAULT_TTL_SECONDS = 3600;

    /**
     * Stores {@code value} under {@code key} for {@code ttl} (1 s to 10 years, kept to the
     * millisecond), replacing value and TTL.
     *
     * @throws CacheSerializationException when Jackson cannot write the value; nothing is stored
     */
    void set(String key, Object value, Duration ttl);

    /**
     * The value read as a type, e.g. {@code new TypeRef<List<Call>>() {}}, or null when absent.
     * Changing what it returns never changes the cached value; a type whose values cannot change
     * (a record of strings, numbers, {@code java.time} values, enums) may be the instance an
     * earlier read returned.
     *
     * @throws CacheSerializationException when the stored JSON does not fit the type; it is kept
     */
    <T> @Nullable T get(String key, TypeRef<T> type);

    /** Whether {@code key} is live. */
    boolean has(String key);

    /** Removes {@code key}; true when a live key was removed. */
    boolean delete(String key);

    /**
     * Adds {@code duration} (1 s to 10 years, to the millisecond) to the remaining lifetime of a
     * live key; false when absent. The result may reach but not pass 10 years.
     */
    boolean extend(String key, Duration duration);

    /**
     * One page of the live keys matching a Redis-style glob ({@code * ? [abc] [^a] [a-z] \}): up
     * to {@code limit} (1 to 10,000) in code point order, after {@code cursor} (null: from the
     * start); pass the page's {@link KeyPage#nextCursor()} for the next. A key live for the whole
     * walk is returned once.
     */
    KeyPage keys(String pattern, int limit, @Nullable String cursor);

    /** Removes every live key matching {@code pattern}, a page at a time; returns how many. */
    long deleteAll(String pattern);

    /**
     * The present keys among {@code keys} (at most 10,000), in the order first asked, read as a type.
     *
     * @throws CacheSerializationException when a value does not fit the type, naming its key
     */
    <T> Map<String, T> getMany(Collection<String> keys, TypeRef<T> type);

    /**
     * Stores up to 10,000 entries, at most 32 MiB of keys and JSON in all, with one TTL. All are
     * checked first, so a bad one stores none; they are written in chunks of 1 MiB.
     *
     * @throws CacheSerializationException when a value cannot be written, naming its key; nothing is stored
     */
    void setMany(Map<String, ?> entries, Duration ttl);

    /** Removes up to 10,000 keys, all checked first; returns how many were live. */
    long deleteMany(Collection<String> keys);

    /**
     * Atomically adds {@code delta} to an integer value and returns the result. An absent key is
     * created as {@code delta} with {@code ttl}; a present key keeps its TTL.
     *
     * @throws CacheSerializationException when the key holds something else than an integer, or the
     *     sum would leave the range of a long; the value is kept
     */
    long increment(String key, long delta, Duration ttl);

    /** Stores the value only if {@code key} is absent; true for the one caller that stored it. */
    boolean setIfAbsent(String key, Object value, Duration ttl);

    /**
     * The live value with its remaining lifetime and version, or null when absent.
     *
     * @throws CacheSerializationException when the stored JSON does not fit the type
     */
    <T> @Nullable CacheEntry<T> getEntry(String key, TypeRef<T> type);

    /**
     * Compare-and-set, atomic across instances: stores {@code value} with the TTL only when the
     * key's version is still {@code expectedVersion} (from {@link #getEntry}), or, when that is
     * null, only when the key is absent. True when stored.
     */
    boolean replace(String key, @Nullable String expectedVersion, Object value, Duration ttl);

    /**
     * Reads the value (null when absent), applies {@code fn}, and stores its result with the TTL
     * if no other writer changed the key meanwhile; otherwise reads again and retries, with
     * backoff, up to 100 times. {@code fn} may run more than once, so it must have no side
     * effects; returning null stores nothing. Returns what was stored, or null.
     *
     * @throws CacheConflictException when every attempt lost a race; nothing was stored
     */
    <T> @Nullable T update(String key, TypeRef<T> type, Duration ttl, UnaryOperator<@Nullable T> fn);

    /**
     * Counts a hit of {@code cost} (1 to the rule's limit) against the rule, atomically across
     * instances: allowed and counted while the rule has room for the whole cost, else denied and
     * nothing counted. The answer says how many hits of cost 1 remain and, when denied, when this
     * hit would be allowed. {@code delete(key)} resets the limit. See {@link RateLimitRule}.
     *
     * @throws CacheSerializationException when the key holds something else than this rule's
     *     state (another algorithm's included); it is kept
     * @throws CacheUnavailableException when the store cannot be reached and the rule's
     *     {@link RateLimitRule#whenUnavailable} is {@code THROW}
     */
    RateLimit rateLimit(String key, RateLimitRule rule, int cost);

    /** What a hit of cost 1 would get now, counting nothing. */
    RateLimit peekRateLimit(String key, RateLimitRule rule);

    /** The remaining lifetime of {@code key}, or null when absent. */
    @Nullable Duration ttl(String key);

    /**
     * The cached value, or else the loader's result, cached for the policy's TTL when non-null.
     * The loader runs once per key at a time across every instance sharing the store: one caller
     * takes a lease on the key, the others wait for the value (or take over when the lease ends
     * without one). The policy may answer the last value when loading fails or is slow, give up
     * after a hard timeout, and refresh ahead of expiry (see {@link LoadPolicy}).
     *
     * @throws CacheLoadTimeoutException when a caller waited twice the load timeout for a load
     *     running elsewhere, or the policy's hard timeout with no stale value at hand
     */
    <T> @Nullable T getOrSet(String key, TypeRef<T> type, LoadPolicy policy, Supplier<? extends @Nullable T> loader);

    /**
     * The cached values of {@code keys} (at most 10,000, duplicates dropped), loading the missing
     * ones with one loader call: one read for all keys, then the loader gets exactly the missing
     * keys this instance could lease (across instances, each missing key is loaded once at a
     * time); keys another instance is loading are waited for. Values the loader returns for those
     * keys are stored for the policy's TTL; a key it leaves out or maps to null stays absent.
     * Returns the present keys in the order asked. The policy's {@code staleFor}, soft and hard
     * timeouts apply to the whole loader call; {@code refreshAhead} is refused.
     *
     * @throws CacheLoadTimeoutException as {@link #getOrSet(String, TypeRef, LoadPolicy, Supplier)}
     */
    <T> Map<String, T> getOrSetMany(Collection<String> keys, TypeRef<T> type, LoadPolicy policy,
            Function<? super Set<String>, ? extends @Nullable Map<String, ? extends @Nullable T>> loader);

    /** Releases this cache's resources; every later call throws {@link IllegalStateException}. */
    @Override
    void close();

    // Conveniences over the methods above: Class forms, TTLs in seconds, the whole key list.

    /** {@link #set(String, Object, Duration)} for {@link #DEFAULT_TTL_SECONDS}. */
    default void set(String key, Object value) {
        set(key, value, Duration.ofSeconds(DEFAULT_TTL_SECONDS));
    }

    /** {@link #set(String, Object, Duration)} for 1 to 315,360,000 seconds. */
    default void set(String key, Object value, long ttlSeconds) {
        set(key, value, Arguments.ttlSecondsAsDuration("ttlSeconds", ttlSeconds));
    }

    /** {@link #get(String, TypeRef)} for a class. */
    default <T> @Nullable T get(String key, Class<T> type) {
        return get(key, TypeRef.of(type));
    }

    /** {@link #extend(String, Duration)} by 1 to 315,360,000 seconds. */
    default boolean extend(String key, long seconds) {
        return extend(key, Arguments.ttlSecondsAsDuration("seconds", seconds));
    }

    /** Every live key, in code point order: the whole list at once; page large namespaces. */
    default List<String> keys() {
        return keys("*");
    }

    /** Every live key matching {@code pattern}, in code point order, all at once (read in pages of 10,000). */
    default List<String> keys(String pattern) {
        List<String> keys = new ArrayList<>();
        String cursor = null;
        do {
            KeyPage page = keys(pattern, 10_000, cursor);
            keys.addAll(page.keys());
            cursor = page.nextCursor();
        } while (cursor != null);
        return Collections.unmodifiableList(keys);
    }

    /** {@link #getMany(Collection, TypeRef)} for a class. */
    default <T> Map<String, T> getMany(Collection<String> keys, Class<T> type) {
        return getMany(keys, TypeRef.of(type));
    }

    /** {@link #setMany(Map, Duration)} with the TTL in seconds. */
    default void setMany(Map<String, ?> entries, long ttlSeconds) {
        setMany(entries, Arguments.ttlSecondsAsDuration("ttlSeconds", ttlSeconds));
    }

    /** {@link #increment(String, long, Duration)} with the TTL of a created counter in seconds. */
    default long increment(String key, long delta, long ttlSeconds) {
        return increment(key, delta, Arguments.ttlSecondsAsDuration("ttlSeconds", ttlSeconds));
    }

    /** {@link #setIfAbsent(String, Object, Duration)} with the TTL in seconds. */
    default boolean setIfAbsent(String key, Object value, long ttlSeconds) {
        return setIfAbsent(key, value, Arguments.ttlSecondsAsDuration("ttlSeconds", ttlSeconds));
    }

    /** {@link #getEntry(String, TypeRef)} for a class. */
    default <T> @Nullable CacheEntry<T> getEntry(String key, Class<T> type) {
        return getEntry(key, TypeRef.of(type));
    }

    /** {@link #replace(String, String, Object, Duration)} with the TTL in seconds. */
    default boolean replace(String key, @Nullable String expectedVersion, Object value, long ttlSeconds) {
        return replace(key, expectedVersion, value, Arguments.ttlSecondsAsDuration("ttlSeconds", ttlSeconds));
    }

    /** {@link #update(String, TypeRef, Duration, UnaryOperator)} for a class. */
    default <T> @Nullable T update(String key, Class<T> type, Duration ttl, UnaryOperator<@Nullable T> fn) {
        return update(key, TypeRef.of(type), ttl, fn);
    }

    /** {@link #update(String, TypeRef, Duration, UnaryOperator)} for a class, with the TTL in seconds. */
    default <T> @Nullable T update(String key, Class<T> type, long ttlSeconds, UnaryOperator<@Nullable T> fn) {
        return update(key, TypeRef.of(type), Arguments.ttlSecondsAsDuration("ttlSeconds", ttlSeconds), fn);
    }

    /** {@link #rateLimit(String, RateLimitRule, int)} of cost 1. */
    default RateLimit rateLimit(String key, RateLimitRule rule) {
        return rateLimit(key, rule, 1);
    }

    /**
     * One hit against a sliding window of {@code limit} (1 to 10,000) hits per {@code window}: no
     * span of one window lets more than the limit through. The key holds the allowed hits' times
     * (read by {@code get} as a JSON array of epoch milliseconds) and expires a window after the last.
     */
    default RateLimit rateLimit(String key, int limit, Duration window) {
        return rateLimit(key, RateLimitRule.slidingWindow(limit, window), 1);
    }

    /** {@link #getOrSet(String, TypeRef, LoadPolicy, Supplier)} with a TTL alone. */
    default <T> @Nullable T getOrSet(String key, TypeRef<T> type, Duration ttl, Supplier<? extends @Nullable T> loader) {
        return getOrSet(key, type, LoadPolicy.ttl(ttl), loader);
    }

    /** {@link #getOrSet(String, TypeRef, LoadPolicy, Supplier)} for a class. */
    default <T> @Nullable T getOrSet(String key, Class<T> type, LoadPolicy policy, Supplier<? extends @Nullable T> loader) {
        return getOrSet(key, TypeRef.of(type), policy, loader);
    }

    /** {@link #getOrSetMany(Collection, TypeRef, LoadPolicy, Function)} for a class. */
    default <T> Map<String, T> getOrSetMany(Collection<String> keys, Class<T> type, LoadPolicy policy,
            Function<? super Set<String>, ? extends @Nullable Map<String, ? extends @Nullable T>> loader) {
        return getOrSetMany(keys, TypeRef.of(type), policy, loader);
    }

    /** {@link #getOrSet(String, TypeRef, Duration, Supplier)} for a class. */
    default <T> @Nullable T getOrSet(String key, Class<T> type, Duration ttl, Supplier<? extends @Nullable T> loader) {
        return getOrSet(key, TypeRef.of(type), ttl, loader);
    }

    /** {@link #getOrSet(String, TypeRef, Duration, Supplier)} for a class, with the TTL in seconds. */
    default <T> @Nullable T getOrSet(String key, Class<T> type, long ttlSeconds, Supplier<? extends @Nullable T> loader) {
        return getOrSet(key, TypeRef.of(type), Arguments.ttlSecondsAsDuration("ttlSeconds", ttlSeconds), loader);
    }

    /** {@link #getOrSet(String, TypeRef, Duration, Supplier)} with the TTL in seconds. */
    default <T> @Nullable T getOrSet(String key, TypeRef<T> type, long ttlSeconds, Supplier<? extends @Nullable T> loader) {
        return getOrSet(key, type, Arguments.ttlSecondsAsDuration("ttlSeconds", ttlSeconds), loader);
    }
}
