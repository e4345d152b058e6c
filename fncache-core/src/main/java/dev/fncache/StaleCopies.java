package dev.fncache;

import dev.fncache.spi.GlobPattern;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One cache's last values of the keys it read or loaded under a {@code staleFor} policy, each
 * until its stale period ends: what a failed load answers instead (CONTRACT rule 25). At most
 * {@link #MAX_KEYS} keys and {@link #MAX_BYTES} bytes of JSON, least recently used dropped first.
 */
final class StaleCopies {
    static final int MAX_KEYS = 10_000;
    static final long MAX_BYTES = 32L << 20;

    private record Copy(byte[] json, long staleUntilMillis) {
    }

    private final LinkedHashMap<String, Copy> copies = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    /** False until the first copy: writes of caches that never use staleFor skip the lock. */
    private volatile boolean used;

    synchronized void remember(String key, byte[] json, long staleUntilMillis) {
        used = true;
        Copy old = copies.remove(key);
        if (old != null) {
            bytes -= old.json.length;
        }
        if (json.length > MAX_BYTES) {
            return;
        }
        copies.put(key, new Copy(json, staleUntilMillis));
        bytes += json.length;
        Iterator<Copy> oldestFirst = copies.values().iterator();
        while (copies.size() > MAX_KEYS || bytes > MAX_BYTES) {
            bytes -= oldestFirst.next().json.length;
            oldestFirst.remove();
        }
    }

    /** The key's copy while its stale period lasts at {@code nowMillis}, else null. */
    synchronized byte @Nullable [] get(String key, long nowMillis) {
        Copy copy = copies.get(key);
        if (copy == null) {
            return null;
        }
        if (nowMillis >= copy.staleUntilMillis) {
            copies.remove(key);
            bytes -= copy.json.length;
            return null;
        }
        return copy.json;
    }

    void discard(String key) {
        if (used) {
            synchronized (this) {
                Copy old = copies.remove(key);
                if (old != null) {
                    bytes -= old.json.length;
                }
            }
        }
    }

    void discard(Collection<String> keys) {
        if (used) {
            keys.forEach(this::discard);
        }
    }

    void discardMatching(GlobPattern pattern) {
        if (used) {
            synchronized (this) {
                Iterator<Map.Entry<String, Copy>> entries = copies.entrySet().iterator();
                while (entries.hasNext()) {
                    Map.Entry<String, Copy> entry = entries.next();
                    if (pattern.matches(entry.getKey())) {
                        bytes -= entry.getValue().json.length;
                        entries.remove();
                    }
                }
            }
        }
    }

    synchronized void clear() {
        copies.clear();
        bytes = 0;
    }
}
