package dev.fncache;

import dev.fncache.spi.GlobPattern;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The expiry one cache last read with each key's value under a load policy, so that a policy read
 * which gets the same bytes back within {@link #TRUSTED_MILLIS} of that read needs only the
 * store's plain read, not its lifetime as well (on Redis a second command). A value is known by
 * its length and a 64-bit FNV-1a hash of its JSON, so a hint costs a few dozen bytes whatever the
 * value's size. Any other write shows as other bytes; a rewrite of identical bytes with a new TTL
 * (by another instance) is seen within {@link #TRUSTED_MILLIS}. At most {@link #MAX_KEYS} keys:
 * past that the hints are dropped and read again.
 */
final class SeenExpiries {
    static final int MAX_KEYS = 10_000;
    static final long TRUSTED_MILLIS = 100;

    private record Seen(int length, long hash, long expiresAtMillis, long readAtMillis) {
    }

    private final ConcurrentHashMap<String, Seen> seen = new ConcurrentHashMap<>();
    /** False until the first hint: writes of caches that never read under a policy skip the map. */
    private volatile boolean used;

    void remember(String key, byte[] json, long expiresAtMillis, long nowMillis) {
        used = true;
        if (seen.size() >= MAX_KEYS && !seen.containsKey(key)) {
            seen.clear();
        }
        seen.put(key, new Seen(json.length, hash(json), expiresAtMillis, nowMillis));
    }

    /**
     * Milliseconds left by the expiry read with these very bytes less than {@link #TRUSTED_MILLIS}
     * ago; 0 when there is no such read or the expiry has passed.
     */
    long remainingMillis(String key, byte[] json, long nowMillis) {
        Seen hint = seen.get(key);
        if (hint == null || nowMillis - hint.readAtMillis >= TRUSTED_MILLIS || hint.length != json.length
                || hint.hash != hash(json)) {
            return 0;
        }
        return Math.max(0, hint.expiresAtMillis - nowMillis);
    }

    void discard(String key) {
        if (used) {
            seen.remove(key);
        }
    }

    void discardMatching(GlobPattern pattern) {
        if (used) {
            seen.keySet().removeIf(pattern::matches);
        }
    }

    void clear() {
        seen.clear();
    }

    private static long hash(byte[] json) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : json) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return hash;
    }
}
