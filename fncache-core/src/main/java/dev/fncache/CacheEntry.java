package dev.fncache;

import java.time.Duration;

/**
 * A live entry read with {@link FunctionCache#getEntry}: its value, its remaining lifetime, and
 * its version, which {@link FunctionCache#replace} compares to store only what was read.
 *
 * @param value   the value read as the requested type
 * @param ttl     the remaining lifetime when it was read
 * @param version an opaque token that changes on every write of the key's value and never repeats
 *                for the key; {@code extend} keeps it
 * @param <T>     the value's type
 */
public record CacheEntry<T>(T value, Duration ttl, String version) {
}
