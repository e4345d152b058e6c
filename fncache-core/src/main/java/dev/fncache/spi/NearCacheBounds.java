package dev.fncache.spi;

/**
 * How many values, and how many bytes of them, a near cache may keep: what
 * {@code FunctionCaches.Builder#nearCache} asks of a backend that has one (Redis). The same
 * bounds apply to the URL options {@code nearCache=MAX_ENTRIES} and {@code nearCacheBytes}.
 *
 * @param maxEntries 1 to {@value #MAX_ENTRIES} values
 * @param maxBytes   {@value #MIN_BYTES} to {@value #MAX_BYTES} bytes of values
 */
public record NearCacheBounds(int maxEntries, long maxBytes) {
    public static final int MAX_ENTRIES = 10_000_000;
    public static final long MIN_BYTES = 1024;
    public static final long MAX_BYTES = 1L << 40;
    /** The byte bound when only a count is given: 64 MiB. */
    public static final long DEFAULT_BYTES = 64L << 20;

    public NearCacheBounds {
        if (maxEntries < 1 || maxEntries > MAX_ENTRIES) {
            throw new IllegalArgumentException("nearCache maxEntries must be between 1 and " + MAX_ENTRIES
                    + ", but was " + maxEntries);
        }
        if (maxBytes < MIN_BYTES || maxBytes > MAX_BYTES) {
            throw new IllegalArgumentException("nearCache maxBytes must be between " + MIN_BYTES + " and " + MAX_BYTES
                    + ", but was " + maxBytes);
        }
    }
}
