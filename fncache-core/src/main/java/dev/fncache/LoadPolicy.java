package dev.fncache;

import dev.fncache.internal.Arguments;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How {@link FunctionCache#getOrSet(String, TypeRef, LoadPolicy, java.util.function.Supplier)}
 * loads a value, and what it answers when the loader or the store fails (CONTRACT rule 25).
 * Immutable: each method returns a new policy.
 *
 * <pre>{@code
 * LoadPolicy customers = LoadPolicy.ttl(Duration.ofMinutes(5))
 *         .staleFor(Duration.ofHours(1))            // answer the last value while the directory is down
 *         .softTimeout(Duration.ofMillis(200))      // ... or slower than 200 ms; the load goes on
 *         .hardTimeout(Duration.ofSeconds(2))       // with nothing stale, give up after 2 s
 *         .refreshAhead(0.8);                       // reload in the background after 4 of the 5 minutes
 * }</pre>
 */
public final class LoadPolicy {
    private static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    private final Duration ttl;
    private final @Nullable Duration staleFor;
    private final @Nullable Duration softTimeout;
    private final @Nullable Duration hardTimeout;
    private final double refreshAhead;

    private LoadPolicy(Duration ttl, @Nullable Duration staleFor, @Nullable Duration softTimeout,
            @Nullable Duration hardTimeout, double refreshAhead) {
        this.ttl = ttl;
        this.staleFor = staleFor;
        this.softTimeout = softTimeout;
        this.hardTimeout = hardTimeout;
        this.refreshAhead = refreshAhead;
    }

    /** Loads cache the value for {@code ttl} (1 s to 10 years), as the plain {@code getOrSet} does. */
    public static LoadPolicy ttl(Duration ttl) {
        Arguments.ttl(ttl);
        return new LoadPolicy(ttl, null, null, null, 0);
    }

    /** Keeps the last value up to {@code staleFor} after it expires, to answer when loading fails. */
    public LoadPolicy staleFor(Duration staleFor) {
        Arguments.ttl("staleFor", staleFor);
        return new LoadPolicy(ttl, staleFor, softTimeout, hardTimeout, refreshAhead);
    }

    /** With a stale value at hand, answers it when the load takes longer than this (1 ms to 1 h). */
    public LoadPolicy softTimeout(Duration softTimeout) {
        return new LoadPolicy(ttl, staleFor, timeout("softTimeout", softTimeout), hardTimeout, refreshAhead);
    }

    /** With no stale value at hand, gives up after this (1 ms to 1 h) with a {@link CacheLoadTimeoutException}. */
    public LoadPolicy hardTimeout(Duration hardTimeout) {
        return new LoadPolicy(ttl, staleFor, softTimeout, timeout("hardTimeout", hardTimeout), refreshAhead);
    }

    /** Once {@code fraction} (between 0 and 1) of the TTL has passed, a read starts one background reload. */
    public LoadPolicy refreshAhead(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("refreshAhead must be a fraction of the TTL between 0 and 1 (both "
                    + "excluded), such as 0.8, but was " + fraction);
        }
        return new LoadPolicy(ttl, staleFor, softTimeout, hardTimeout, fraction);
    }

    public Duration ttl() {
        return ttl;
    }

    /** How long after expiry the last value may still be answered, or null when never. */
    public @Nullable Duration staleFor() {
        return staleFor;
    }

    public @Nullable Duration softTimeout() {
        return softTimeout;
    }

    public @Nullable Duration hardTimeout() {
        return hardTimeout;
    }

    /** The fraction of the TTL after which a read reloads in the background, or 0 when never. */
    public double refreshAhead() {
        return refreshAhead;
    }

    /** Whether this policy is a TTL alone, the plain {@code getOrSet}. */
    boolean isPlain() {
        return staleFor == null && softTimeout == null && hardTimeout == null && refreshAhead == 0;
    }

    /** The rules that tie settings together, checked when the policy is used (any order of calls may build it). */
    LoadPolicy checked() {
        if (softTimeout != null && staleFor == null) {
            throw new IllegalArgumentException("softTimeout(" + softTimeout + ") answers a stale value, so it needs "
                    + "staleFor(...), which this policy lacks: " + this);
        }
        if (softTimeout != null && hardTimeout != null && softTimeout.compareTo(hardTimeout) >= 0) {
            throw new IllegalArgumentException("softTimeout must be shorter than hardTimeout, but was " + softTimeout
                    + " with hardTimeout " + hardTimeout);
        }
        return this;
    }

    private static Duration timeout(String name, Duration timeout) {
        if (timeout == null || timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(name + " must be between PT0.001S and " + MAX_TIMEOUT + ", but was "
                    + timeout);
        }
        return timeout;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LoadPolicy that && ttl.equals(that.ttl) && Objects.equals(staleFor, that.staleFor)
                && Objects.equals(softTimeout, that.softTimeout) && Objects.equals(hardTimeout, that.hardTimeout)
                && refreshAhead == that.refreshAhead;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ttl, staleFor, softTimeout, hardTimeout, refreshAhead);
    }

    @Override
    public String toString() {
        return "LoadPolicy.ttl(" + ttl + ")" + (staleFor == null ? "" : ".staleFor(" + staleFor + ")")
                + (softTimeout == null ? "" : ".softTimeout(" + softTimeout + ")")
                + (hardTimeout == null ? "" : ".hardTimeout(" + hardTimeout + ")")
                + (refreshAhead == 0 ? "" : ".refreshAhead(" + refreshAhead + ")");
    }
}
