package dev.fncache.memory;

import dev.fncache.spi.EntryVersion;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A stored JSON value, the epoch millisecond from which it is absent, and its version: 128
 * random bits, formatted as text only when read, so a write allocates no version string.
 */
record ExpiringEntry(byte[] value, long expiresAtMillis, long versionHigh, long versionLow) {

    /** A newly written value, with a new version. */
    ExpiringEntry(byte[] value, long expiresAtMillis) {
        this(value, expiresAtMillis, ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong());
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
}
