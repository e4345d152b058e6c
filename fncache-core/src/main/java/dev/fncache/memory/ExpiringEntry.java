package dev.fncache.memory;

/** A stored JSON value and the epoch millisecond from which it is absent. */
record ExpiringEntry(byte[] value, long expiresAtMillis) {

    boolean isLiveAt(long nowMillis) {
        return nowMillis < expiresAtMillis;
    }
}
