package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of every contract class: opens {@link #cache} in a fresh namespace of the backend's
 * store before each test, with a {@link MutableClock} when the backend obeys one, and closes
 * every cache a test opened.
 */
public abstract class ContractSupport {
    /** The instant the test clock starts at. */
    protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final List<FunctionCache> opened = new ArrayList<>();

    protected MutableClock clock;
    protected String namespace;
    protected FunctionCache cache;

    /** The backend under test. */
    protected abstract CacheBackendFixture backend();

    @BeforeEach
    void openFreshNamespace() {
        clock = new MutableClock(START);
        namespace = freshNamespace();
        cache = open(namespace);
    }

    /** Checks the backend's invariants for the test's namespace, then closes every cache the test opened. */
    @AfterEach
    void checkInvariantsAndCloseOpenedCaches() {
        try {
            if (namespace != null) {
                backend().assertInvariants(open(namespace), namespace, clock.instant());
            }
        } finally {
            opened.forEach(FunctionCache::close);
            opened.clear();
        }
    }

    /** A namespace no other test uses. */
    protected static String freshNamespace() {
        return "tck-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** Another cache on the same store and namespace, as a second instance of a function would have. */
    protected FunctionCache open(String namespace) {
        return open(namespace, builder -> builder);
    }

    /** A cache with extra builder settings, closed after the test. */
    protected FunctionCache open(String namespace, UnaryOperator<FunctionCaches.Builder> settings) {
        return open(backend().url(), namespace, settings);
    }

    /** A cache on the test's namespace that measures TTLs on the real clock, for the few real-time tests. */
    protected FunctionCache openOnRealClock() {
        return open(namespace, builder -> builder.clock(java.time.Clock.systemUTC()));
    }

    /**
     * A cache on the same store and namespace through separate resources (another connection,
     * another writer), as a second instance of the function on another host would have.
     */
    protected FunctionCache openSecondInstance(String namespace) {
        return openSecondInstance(namespace, builder -> builder);
    }

    /** {@link #openSecondInstance(String)} with extra builder settings. */
    protected FunctionCache openSecondInstance(String namespace, UnaryOperator<FunctionCaches.Builder> settings) {
        return open(backend().secondInstanceUrl(), namespace, settings);
    }

    /** Skips the test when the store lives in this JVM alone, so it has no other instance that could fail apart. */
    protected void assumeSeparateSecondInstance() {
        assumeTrue(!backend().secondInstanceUrl().equals(backend().url()),
                "this store lives in this JVM alone: its caches share one flight per key, and no instance can die apart");
    }

    private FunctionCache open(String url, String namespace, UnaryOperator<FunctionCaches.Builder> settings) {
        FunctionCaches.Builder builder = FunctionCaches.builder().url(url).namespace(namespace);
        if (backend().obeysInjectedClock()) {
            builder.clock(clock);
        }
        FunctionCache opened = settings.apply(builder).build();
        this.opened.add(opened);
        return opened;
    }

    /** Skips the test unless the backend follows the injected clock. */
    protected void assumeInjectedClock() {
        assumeTrue(backend().obeysInjectedClock(),
                "this backend measures TTLs with its server's clock; the real-time expiry tests cover it");
    }

    /** Advances the injected clock by {@code step}; only for clock-driven tests. */
    protected void advance(Duration step) {
        clock.advance(step);
    }

    /** Asserts the remaining TTL: exact under the injected clock, within 3 s below it on a server clock. */
    protected void assertRemaining(FunctionCache cache, String key, Duration expected) {
        Duration remaining = cache.ttl(key);
        assertThat(remaining).as("ttl of %s", key).isNotNull();
        if (backend().obeysInjectedClock()) {
            assertThat(remaining).as("ttl of %s", key).isEqualTo(expected);
        } else {
            assertThat(remaining).as("ttl of %s", key)
                    .isLessThanOrEqualTo(expected)
                    .isGreaterThan(expected.minusSeconds(3));
        }
    }

    /** Runs the tasks on threads of their own, released at the same moment; returns their results in order. */
    protected static <T> List<T> together(List<? extends Callable<T>> tasks) throws Exception {
        return Concurrently.run(tasks);
    }

    /** Sleeps on the real clock; for the few real-time expiry tests. */
    protected static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a real TTL to pass", e);
        }
    }
}
