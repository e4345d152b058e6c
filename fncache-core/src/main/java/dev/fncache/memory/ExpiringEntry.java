package dev.fncache.memory;

import dev.fncache.support.EntryVersion;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A stored JSON value, the epoch millisecond from which it is absent, and its version: 128
 * random bits, formatted as text only when read, so a write allocates no version string.
 */
class ExpiringEntry {
    private final byte[] value;
    private final long expiresAtMillis;
    private final long versionHigh;
    private final long versionLow;

    ExpiringEntry(byte[] value, long expiresAtMillis, long versionHigh, long versionLow) {
        this.value = value;
        this.expiresAtMillis = expiresAtMillis;
        this.versionHigh = versionHigh;
        this.versionLow = versionLow;
    }

    /** A newly written value, with a new version. */
    ExpiringEntry(byte[] value, long expiresAtMillis) {
        this(value, expiresAtMillis, ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong());
    }

    /** The stored bytes; callers never change them. */
    byte[] value() {
        return value;
    }

    long expiresAtMillis() {
        return expiresAtMillis;
    }

    boolean isLiveAt(long nowMillis) {
        return nowMillis < expiresAtMillis;
    }

    String version() {
        return EntryVersion.text(versionHigh, versionLow);
    }

    /** The same value and version with another expiry. */
    ExpiringEntry expiringAt(long expiresAt) {
        return new ExpiringEntry(value, expiresAt, versionHigh, versionLow);
    }

    final long versionHigh() {
        return versionHigh;
    }

    final long versionLow() {
        return versionLow;
    }
}
