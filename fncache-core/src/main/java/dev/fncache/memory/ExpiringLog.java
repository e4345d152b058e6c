package dev.fncache.memory;

import java.util.Arrays;

/**
 * A rate-limit log kept in a buffer with room to append: its first {@link #length()} bytes are
 * the log. A later hit writes its entry past that length, in place, and stores a new
 * {@code ExpiringLog} of the longer length (see {@link dev.fncache.support.SlidingWindowLog#append}),
 * so a hit costs the same at limit 10 and 10,000; readers of this one read only below its length.
 */
final class ExpiringLog extends ExpiringEntry {
    private final int length;

    ExpiringLog(byte[] buffer, int length, long expiresAtMillis) {
        super(buffer, expiresAtMillis);
        this.length = length;
    }

    private ExpiringLog(byte[] buffer, int length, long expiresAtMillis, long versionHigh, long versionLow) {
        super(buffer, expiresAtMillis, versionHigh, versionLow);
        this.length = length;
    }

    /** The buffer whose first {@link #length()} bytes are the log. */
    byte[] buffer() {
        return super.value();
    }

    int length() {
        return length;
    }

    /** The log's bytes, copied out of the buffer: a read of a rate-limit key as a value. */
    @Override
    byte[] value() {
        return Arrays.copyOf(buffer(), length);
    }

    @Override
    ExpiringEntry expiringAt(long expiresAt) {
        return new ExpiringLog(buffer(), length, expiresAt, versionHigh(), versionLow());
    }
}
