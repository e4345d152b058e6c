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

    @AfterEach
    void closeOpenedCaches() {
        opened.forEach(FunctionCache::close);
        opened.clear();
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
        FunctionCaches.Builder builder = FunctionCaches.builder().url(backend().url()).namespace(namespace);
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
