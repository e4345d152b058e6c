package dev.fncache.spi;

/**
 * A live entry as a store returns it for compare-and-set.
 *
 * @param value           the stored JSON bytes
 * @param remainingMillis milliseconds until it expires, at least 1
 * @param version         a token that changes on every write of the value and never repeats for the key
 */
public record StoredEntry(byte[] value, long remainingMillis, String version) {
}
