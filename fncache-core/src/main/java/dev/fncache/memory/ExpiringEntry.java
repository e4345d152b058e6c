package dev.fncache.memory;

import dev.fncache.spi.EntryVersion;

/** A stored JSON value, the epoch millisecond from which it is absent, and its version. */
record ExpiringEntry(byte[] value, long expiresAtMillis, String version) {

    /** A newly written value, with a new version. */
    ExpiringEntry(byte[] value, long expiresAtMillis) {
        this(value, expiresAtMillis, EntryVersion.next());
    }

    boolean isLiveAt(long nowMillis) {
        return nowMillis < expiresAtMillis;
    }

    /** The same value and version with another expiry. */
    ExpiringEntry expiringAt(long expiresAt) {
        return new ExpiringEntry(value, expiresAt, version);
    }
}
