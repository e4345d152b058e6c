package dev.fncache;

import java.util.Locale;

/**
 * Receives what one cache does, for metrics (Caffeine's {@code StatsCounter} idea): lookups that
 * hit or missed, values written and removed, {@code getOrSet} loads, and the latency and outcome of
 * every operation. Set with {@link FunctionCaches.Builder#stats}; the {@code fncache-micrometer}
 * module provides one that feeds a Micrometer registry. A cache without one has the
 * {@linkplain #disabled() disabled} recorder, which records nothing. The cache calls these methods
 * on the caller's thread as each operation ends, where it knows what happened, so they must be
 * thread-safe, quick, and must not throw.
 */
public interface CacheStatsRecorder {

    /** How an operation ended. */
    enum Outcome {
        /** It returned normally. */
        OK,
        /** Refused: a bad argument ({@link IllegalArgumentException}) or a value JSON cannot carry. */
        INVALID,
        /** The store could not be reached or failed ({@link CacheUnavailableException}). */
        UNAVAILABLE,
        /** Anything else: a conflict, a load timeout, a closed cache, or a loader's own exception. */
        FAILED;

        /** The lower-case name, as metrics tag it. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The operations a cache records, each tagged with its method's name. */
    enum Operation {
        GET("get"),
        GET_ENTRY("getEntry"),
        GET_MANY("getMany"),
        GET_OR_SET("getOrSet"),
        GET_OR_SET_MANY("getOrSetMany"),
        HAS("has"),
        TTL("ttl"),
        KEYS("keys"),
        SET("set"),
        SET_IF_ABSENT("setIfAbsent"),
        SET_MANY("setMany"),
        REPLACE("replace"),
        UPDATE("update"),
        INCREMENT("increment"),
        RATE_LIMIT("rateLimit"),
        PEEK_RATE_LIMIT("peekRateLimit"),
        EXTEND("extend"),
        DELETE("delete"),
        DELETE_MANY("deleteMany"),
        DELETE_ALL("deleteAll");

        private final String tag;

        Operation(String tag) {
            this.tag = tag;
        }

        /** The method's name, as metrics tag it ({@code getOrSet}). */
        public String tag() {
            return tag;
        }
    }

    /** Makes the recorder of one cache when it opens. */
    @FunctionalInterface
    interface Factory {
        /**
         * The recorder of the cache of {@code namespace}, whose backend is the URL scheme
         * {@code backend} ({@code memory}, {@code sqlite}, {@code redis}, ...).
         */
        CacheStatsRecorder create(String namespace, String backend);
    }

    /** The recorder of a cache without statistics: it records nothing and times nothing. */
    static CacheStatsRecorder disabled() {
        return DisabledStatsRecorder.INSTANCE;
    }

    /**
     * Whether the operation about to start is to be timed. Reading the clock twice costs about
     * 35 ns, a tenth of a memory {@code set}, so a recorder may time a random sample of calls and
     * answer false for the others, which then reach {@link #recordOperation} with {@code nanos}
     * -1. By default every call is timed.
     */
    default boolean timesNextOperation() {
        return true;
    }

    /**
     * One call of {@code operation} ended with {@code outcome} after {@code nanos}, or -1 when
     * {@link #timesNextOperation()} said not to time it.
     */
    void recordOperation(Operation operation, Outcome outcome, long nanos);

    /** Reads of values ({@code get}, {@code getEntry}, {@code getMany}, {@code getOrSet}) that found or missed. */
    void recordGets(long hits, long misses);

    /** Values written: each {@code set}, stored {@code setIfAbsent}/{@code replace}/{@code update}, counter step, loaded value. */
    void recordPuts(long count);

    /** Live keys removed by {@code delete}, {@code deleteMany} or {@code deleteAll}. */
    void recordRemovals(long count);

    /**
     * One {@code getOrSet} loader call of {@code nanos}: a success when it returned a value, a
     * failure when it threw or returned null (as Caffeine counts loads).
     */
    void recordLoad(boolean success, long nanos);

    /**
     * {@code getOrSet} calls that answered a stale value because the load failed or took too
     * long (a {@link LoadPolicy} with {@code staleFor}); counted among the misses too.
     */
    default void recordStaleServed(long count) {
    }

    /**
     * A {@code rateLimit} or {@code peekRateLimit} call that found the store unavailable and
     * answered as its rule's {@link RateLimitRule#whenUnavailable} says: allowed or denied.
     */
    default void recordRateLimitUnavailable(boolean allowed) {
    }

    /**
     * Reads a Redis near cache ({@code ?nearCache=N}) answered from its copies ({@code hits}) or
     * passed to the store ({@code misses}), and copies it evicted to keep to its bounds; called by
     * the store, on the caller's thread, as they happen.
     */
    default void recordNearCache(long hits, long misses, long evictions) {
    }
}
