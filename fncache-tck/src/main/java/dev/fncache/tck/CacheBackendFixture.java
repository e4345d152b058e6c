package dev.fncache.tck;

import dev.fncache.FunctionCache;
import java.time.Instant;

/**
 * What a backend supplies to run the conformance suite: where its store is and what it can do.
 * Each test opens caches in fresh namespaces of that store, so the store may be shared by the
 * whole run (a Redis server, a SQLite file) and need not be emptied between tests.
 */
public interface CacheBackendFixture {

    /** The cache URL of the store under test. */
    String url();

    /**
     * Whether the backend measures TTLs with the injected {@link java.time.Clock}. When false
     * (Redis uses its server's clock), clock-driven tests are skipped and the real-time ones
     * still run.
     */
    boolean obeysInjectedClock();

    /**
     * A URL of the same store that this JVM serves through separate resources (another
     * connection, another writer), as a second instance of a function would reach it. The
     * cross-instance area races caches opened on {@link #url()} and on this. The default, the
     * same URL, suits a store that lives in this JVM only (memory).
     */
    default String secondInstanceUrl() {
        return url();
    }

    /** Whether separate processes opening {@link #url()} share one store (false for memory). */
    default boolean sharedByProcesses() {
        return true;
    }

    /**
     * Checks what must hold inside the store for {@code namespace} once a test is done, and
     * throws an {@link AssertionError} when it does not (Caffeine's validation-listener idea).
     * Runs after every test of the suite.
     *
     * @param cache a cache open on that namespace
     * @param now   the time by the test's clock (the store's clock when it obeys the injected one)
     */
    default void assertInvariants(FunctionCache cache, String namespace, Instant now) {
    }
}
