package dev.fncache.spi;

import java.time.Duration;

/**
 * Where stores run their background work (reclaiming expired entries, pruning key indexes), so
 * every backend schedules it the same way and a test or benchmark can take it in hand:
 * {@link #background()} is one daemon thread for the whole JVM; {@link #manual()} runs tasks only
 * when told, so a test can run them at the moment it chooses and a benchmark can leave them out.
 */
public interface Housekeeping {

    /** A scheduled task; {@link #cancel()} stops it (a run under way finishes). */
    interface Task {
        void cancel();
    }

    /** Runs {@code task} every {@code period}, the first time after {@code firstDelay}, until cancelled. */
    Task every(Duration firstDelay, Duration period, Runnable task);

    /**
     * The JVM's one housekeeping thread, {@code fncache-housekeeping}, a daemon. Static because a
     * store's background work belongs to the JVM, not to one cache: every cache of every backend
     * shares it, so a process that opens many caches runs one thread, not one per cache.
     */
    static Housekeeping background() {
        return BackgroundHousekeeping.INSTANCE;
    }

    /** A housekeeping whose tasks run only on {@link ManualHousekeeping#runAll()}: for tests and benchmarks. */
    static ManualHousekeeping manual() {
        return new ManualHousekeeping();
    }
}
