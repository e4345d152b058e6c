package dev.fncache.tck;

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
}
