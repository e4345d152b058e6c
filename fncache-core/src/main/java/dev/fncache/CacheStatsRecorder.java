package dev.fncache;

import java.util.Locale;

/**
 * Receives what one cache does, for metrics (Caffeine's {@code StatsCounter} idea): lookups that
 * hit or missed, values written and removed, {@code getOrSet} loads, and the latency and outcome of
 * every operation. Set with {@link FunctionCaches.Builder#stats}; the {@code fncache-micrometer}
 * module provides one that feeds a Micrometer registry. A cache without one records nothing and
 * pays nothing. Methods are called on the caller's thread after each operation, so they must be
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

    /** Makes the recorder of one cache when it opens. */
    @FunctionalInterface
    interface Factory {
        /**
         * The recorder of the cache of {@code namespace}, whose backend is the URL scheme
         * {@code backend} ({@code memory}, {@code sqlite}, {@code redis}, ...).
         */
        CacheStatsRecorder create(String namespace, String backend);
    }

    /** One call of {@code operation} (the method's name, such as {@code get}) took {@code nanos}. */
    void recordOperation(String operation, Outcome outcome, long nanos);

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
}
