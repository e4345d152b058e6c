package dev.fncache.spi;

import dev.fncache.CacheSerializationException;
import java.nio.charset.StandardCharsets;

/**
 * The shared rule of {@code rateLimit}: a key holds the JSON array of the epoch milliseconds of
 * its allowed hits, oldest first, and a hit at {@code now} is allowed when fewer than
 * {@code limit} of them lie in the window {@code (now - window, now]}. The Redis backend runs the
 * same rule in its function library.
 */
public final class SlidingWindowLog {
    private SlidingWindowLog() {
    }

    /**
     * The outcome of one hit.
     *
     * @param allowed          whether the hit was allowed (and recorded)
     * @param hits             hits in the window after this one
     * @param retryAfterMillis when denied, milliseconds until the oldest hit leaves the window; else 0
     * @param log              the log to store (null when nothing changes)
     */
    public record Hit(boolean allowed, int hits, long retryAfterMillis, byte[] log) {
    }

    /** Applies a hit at {@code now} to {@code stored} (null when the key is absent). */
    public static Hit hit(String key, byte[] stored, int limit, long windowMillis, long now) {
        long[] times = stored == null ? new long[0] : decode(key, stored);
        int first = 0;
        while (first < times.length && times[first] <= now - windowMillis) {
            first++;
        }
        int inWindow = times.length - first;
        if (inWindow >= limit) {
            long oldest = times[times.length - limit];
            return new Hit(false, inWindow, Math.max(1, oldest + windowMillis - now), null);
        }
        StringBuilder json = new StringBuilder(16 * (inWindow + 1)).append('[');
        for (int i = first; i < times.length; i++) {
            json.append(times[i]).append(',');
        }
        json.append(Math.max(now, times.length == 0 ? now : times[times.length - 1])).append(']');
        return new Hit(true, inWindow + 1, 0, json.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** The failure for a key that holds something else than a rate-limit log; nothing changed. */
    public static CacheSerializationException notALog(String key, String stored) {
        return new CacheSerializationException("key " + MessageText.quoted(key) + " holds " + MessageText.quoted(stored)
                + ", which is not a rate-limit log (a JSON array of epoch milliseconds); delete it or use another key");
    }

    private static long[] decode(String key, byte[] stored) {
        String text = new String(stored, StandardCharsets.UTF_8).strip();
        if (!text.matches("\\[\\s*(-?\\d{1,18}\\s*(,\\s*-?\\d{1,18}\\s*)*)?]")) {
            throw notALog(key, text);
        }
        String body = text.substring(1, text.length() - 1).strip();
        if (body.isEmpty()) {
            return new long[0];
        }
        String[] parts = body.split(",");
        long[] times = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            times[i] = Long.parseLong(parts[i].strip());
        }
        return times;
    }
}
