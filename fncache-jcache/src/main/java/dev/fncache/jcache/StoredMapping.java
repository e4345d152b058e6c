package dev.fncache.jcache;

import org.jspecify.annotations.Nullable;

/**
 * What one JCache entry is stored as: its key and value in {@link ObjectCodec}'s form and when it
 * expires (epoch milliseconds, {@link Long#MAX_VALUE} for never). A mapping without a value is a
 * removal, kept a moment so that a compare-and-set removal stays atomic across instances.
 *
 * @param k the encoded key
 * @param v the encoded value, or null for a removed entry
 * @param x when the entry expires, in epoch milliseconds
 */
record StoredMapping(String k, @Nullable String v, long x) {
    static final long ETERNAL = Long.MAX_VALUE;

    boolean liveAt(long nowMillis) {
        return v != null && x > nowMillis;
    }
}
