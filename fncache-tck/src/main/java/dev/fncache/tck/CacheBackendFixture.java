package dev.fncache.tck;

import dev.fncache.FunctionCache;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

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

    /**
     * How long after a write returns another instance may still read the value it replaced
     * (CONTRACT rule 28): zero, unless the instances keep near caches.
     */
    default Duration staleReadsFor() {
        return Duration.ZERO;
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

    /** What must hold inside a store after each test (see {@link #assertInvariants}). */
    @FunctionalInterface
    interface Invariant {
        void check(FunctionCache cache, String namespace, Instant now);
    }

    /** A fixture for the store at {@code url}, read when a test starts: it obeys the injected clock until told otherwise. */
    static Builder builder(Supplier<String> url) {
        return new Builder(url);
    }

    /** Builds a {@link CacheBackendFixture} from what differs between backends. */
    final class Builder {
        private final Supplier<String> url;
        private Supplier<String> secondInstanceUrl;
        private boolean obeysInjectedClock = true;
        private boolean sharedByProcesses = true;
        private Duration staleReadsFor = Duration.ZERO;
        private Invariant invariant = (cache, namespace, now) -> {
        };

        private Builder(Supplier<String> url) {
            this.url = url;
        }

        /** TTLs follow the store's own clock (a server's), so clock-driven tests are skipped. */
        public Builder serverClock() {
            this.obeysInjectedClock = false;
            return this;
        }

        /** The store lives in this JVM only, so separate processes do not share it. */
        public Builder inThisJvmOnly() {
            this.sharedByProcesses = false;
            return this;
        }

        /** The URL a second instance opens: the same store through separate resources. */
        public Builder secondInstanceUrl(Supplier<String> secondInstanceUrl) {
            this.secondInstanceUrl = secondInstanceUrl;
            return this;
        }

        /** Another instance may read a replaced value for up to this after the write returns (near caches). */
        public Builder staleReadsFor(Duration bound) {
            this.staleReadsFor = bound;
            return this;
        }

        /** What is checked inside the store after every test. */
        public Builder invariant(Invariant invariant) {
            this.invariant = invariant;
            return this;
        }

        public CacheBackendFixture build() {
            Supplier<String> second = secondInstanceUrl != null ? secondInstanceUrl : url;
            boolean clock = obeysInjectedClock;
            boolean shared = sharedByProcesses;
            Invariant check = invariant;
            Duration stale = staleReadsFor;
            return new CacheBackendFixture() {
                @Override
                public String url() {
                    return url.get();
                }

                @Override
                public boolean obeysInjectedClock() {
                    return clock;
                }

                @Override
                public String secondInstanceUrl() {
                    return second.get();
                }

                @Override
                public boolean sharedByProcesses() {
                    return shared;
                }

                @Override
                public Duration staleReadsFor() {
                    return stale;
                }

                @Override
                public void assertInvariants(FunctionCache cache, String namespace, Instant now) {
                    check.check(cache, namespace, now);
                }
            };
        }
    }
}
