package dev.fncache.spi;

/**
 * A live value with its remaining lifetime, as a store returns it for a load policy's read.
 *
 * @param value           the stored JSON bytes
 * @param remainingMillis milliseconds until it expires, at least 1
 */
public record LiveValue(byte[] value, long remainingMillis) {
}
