package dev.fncache.spi;

import dev.fncache.RateLimitRule;
import dev.fncache.support.CounterValue;
import java.util.List;
import java.util.Map;

/**
 * The storage primitives of one namespace. Keys, TTLs and values arrive validated; values are the
 * encoded JSON bytes. Every method must treat an entry whose expiry time has been reached as
 * absent, and every mutation must be atomic. Implementations are thread-safe and translate their
 * driver's failures into {@link dev.fncache.CacheUnavailableException}.
 */
public interface CacheStore extends AutoCloseable {

    /** Returned by {@link #remainingMillis} and {@link #extend} when the key is absent. */
    long ABSENT = -1;

    /** Returned by {@link #extend} when the new lifetime would pass the limit; nothing changed. */
    long LIMIT_EXCEEDED = -2;

    /** The value, or null when absent. */
    byte[] get(String key);

    /**
     * The value read by {@code reader}, or null when absent. A store that keeps local copies
     * may return an instance it kept when {@code reader} is {@linkplain ValueReader#shareable() shareable}.
     */
    default <T> T get(String key, ValueReader<T> reader) {
        byte[] json = get(key);
        return json == null ? null : reader.read(json);
    }

    /** The values of distinct {@code keys}, in the same order, with null where a key is absent. */
    List<byte[]> getAll(List<String> keys);

    boolean contains(String key);

    /** Stores the entry, replacing any value and TTL. */
    void put(String key, byte[] value, long ttlMillis);

    /** Stores the entry only when the key is absent; true when stored. */
    boolean putIfAbsent(String key, byte[] value, long ttlMillis);

    /** Removes the key; true when it was present. */
    boolean remove(String key);

    /** Milliseconds until expiry (at least 1), or {@link #ABSENT}. */
    long remainingMillis(String key);

    /**
     * Adds {@code addMillis} to the remaining lifetime and returns the new remaining lifetime;
     * {@link #ABSENT} when the key is absent, {@link #LIMIT_EXCEEDED} when the result would pass
     * {@code maxRemainingMillis}.
     */
    long extend(String key, long addMillis, long maxRemainingMillis);

    /**
     * Adds {@code delta} to the integer stored at {@code key} (see {@link CounterValue}), keeping
     * its TTL; an absent key is created as {@code delta} with {@code ttlMillis}.
     */
    long increment(String key, long delta, long ttlMillis);

    /** The live entry with its remaining lifetime and version, or null when absent. */
    StoredEntry getEntry(String key);

    /**
     * The live value with its remaining lifetime, or null when absent: what {@code getOrSet} under
     * a load policy reads on every call, so a store whose versions cost extra work (Redis keeps
     * them beside the value) answers it without them.
     */
    default LiveValue getLive(String key) {
        StoredEntry entry = getEntry(key);
        return entry == null ? null : new LiveValue(entry.value(), entry.remainingMillis());
    }

    /**
     * Stores the entry only when the key's current version is {@code expectedVersion}, or, when
     * that is null, only when the key is absent; true when stored. Every store of a value (put,
     * putIfAbsent, increment, replace, hit) gives the key a new version; extend keeps it.
     */
    boolean replace(String key, String expectedVersion, byte[] value, long ttlMillis);

    /**
     * Takes the load lease of {@code key} for {@code token} when no unexpired lease is held;
     * true when taken. Leases live beside the entries and are never listed or returned as values.
     */
    boolean tryLease(String key, String token, long ttlMillis);

    /** Releases the load lease of {@code key} if {@code token} still holds it. */
    void releaseLease(String key, String token);

    /**
     * Applies {@code cost} hits of {@code rule} at the store's current time, atomically, by the
     * rules of {@link dev.fncache.support.RateLimitStates}, storing the new state with the TTL they
     * give; with {@code consume} false answers what a hit of cost 1 would get and changes nothing.
     * Cost is checked (1 to the rule's limit).
     */
    RateLimitHit hit(String key, RateLimitRule rule, int cost, boolean consume);

    /**
     * Up to {@code limit} present keys matching {@code pattern} (never a literal one: core answers
     * those with {@link #contains}), in {@link CodePointOrder}, each
     * after {@code after} in that order (null: from the start). Reads the store's sorted index
     * from there on, so the cost follows the keys walked, not the namespace. {@code keys(pattern)}
     * is this with no cursor and no limit.
     */
    List<String> keysAfter(GlobPattern pattern, String after, int limit);

    /** Stores every entry (distinct keys) with the same TTL, each as {@link #put} would. */
    void putAll(Map<String, byte[]> entries, long ttlMillis);

    /** Removes the distinct {@code keys}; returns how many were present. */
    long removeAll(List<String> keys);

    /** Releases this store's resources; data shared with other stores stays. */
    @Override
    void close();
}
