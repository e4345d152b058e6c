package dev.fncache.spi;

import dev.fncache.CacheSerializationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The shared rule and stored form of {@code rateLimit}. A hit at {@code now} is allowed when
 * fewer than {@code limit} allowed hits lie in the window {@code (now - window, now]}.
 *
 * <p>The key holds a compact binary log: the 8-byte {@link #MAGIC}, then the epoch milliseconds
 * of the allowed hits as big-endian 8-byte integers, oldest first, never decreasing. Reading the
 * key as a value gives them as a JSON array ({@link #asJson}). A hit finds the first one inside the window by binary search and appends one
 * entry, so its cost does not grow with the limit. Hits that left the window stay until the log
 * holds {@link #compactAt(int)} entries; the next allowed hit then rewrites the log with only the
 * hits still in the window, so the rewrite happens once per about a quarter of the limit's hits.
 * The Redis backend runs the same rule in its function library, on the same bytes.
 *
 * <p>Stored state is never trusted: a log whose magic or length is wrong, or that holds more
 * entries than any limit can make, is refused before anything is read from it, so a value that
 * another writer forged cannot make a call slow or unbounded.
 */
public final class SlidingWindowLog {
    /** The highest limit a rate limit may have. */
    public static final int MAX_LIMIT = 10_000;
    /** The first bytes of every log: {@code fnrl}, then the format version 1. */
    static final byte[] MAGIC = {'f', 'n', 'r', 'l', 0, 0, 0, 1};
    private static final int HEADER = MAGIC.length;
    private static final int ENTRY = Long.BYTES;
    /** The largest log any limit leaves: {@code compactAt(MAX_LIMIT)} entries. */
    public static final int MAX_BYTES = HEADER + ENTRY * compactAt(MAX_LIMIT);

    private SlidingWindowLog() {
    }

    /**
     * The outcome of one hit.
     *
     * @param allowed          whether the hit was allowed (and recorded)
     * @param hits             hits in the window after this one
     * @param retryAfterMillis when denied, milliseconds until the oldest counted hit leaves the window; else 0
     * @param log              the log to store (null when nothing changes)
     */
    public record Hit(boolean allowed, int hits, long retryAfterMillis, byte[] log) {
    }

    /** How many entries a log of {@code limit} may hold before an allowed hit compacts it. */
    public static int compactAt(int limit) {
        return limit + limit / 4 + 8;
    }

    /** Applies a hit at {@code now} to {@code stored} (null when the key is absent). */
    public static Hit hit(String key, byte[] stored, int limit, long windowMillis, long now) {
        int entries = stored == null ? 0 : entries(key, stored);
        long cutoff = now - windowMillis;
        int first = firstAfter(stored, entries, cutoff);
        int inWindow = entries - first;
        if (inWindow >= limit) {
            long oldest = at(stored, entries - limit);
            return new Hit(false, inWindow, Math.max(1, oldest + windowMillis - now), null);
        }
        long time = entries == 0 ? now : Math.max(now, at(stored, entries - 1));
        byte[] log;
        if (entries + 1 > compactAt(limit)) {
            log = new byte[HEADER + ENTRY * (inWindow + 1)];
            System.arraycopy(MAGIC, 0, log, 0, HEADER);
            System.arraycopy(stored, HEADER + ENTRY * first, log, HEADER, ENTRY * inWindow);
        } else {
            log = stored == null ? Arrays.copyOf(MAGIC, HEADER + ENTRY) : Arrays.copyOf(stored, stored.length + ENTRY);
        }
        ByteBuffer.wrap(log).putLong(log.length - ENTRY, time);
        return new Hit(true, inWindow + 1, 0, log);
    }

    /**
     * {@code stored} as JSON: a log becomes the JSON array of its hits' epoch milliseconds, and
     * anything else is returned as it is. JSON text never holds a NUL byte, so the check is two
     * byte comparisons on the way to every decode.
     */
    public static byte[] asJson(byte[] stored) {
        if (stored.length < HEADER || stored[4] != 0 || stored[0] != MAGIC[0]
                || !Arrays.equals(stored, 0, HEADER, MAGIC, 0, HEADER) || (stored.length - HEADER) % ENTRY != 0) {
            return stored;
        }
        int entries = (stored.length - HEADER) / ENTRY;
        StringBuilder json = new StringBuilder(2 + 15 * entries).append('[');
        for (int i = 0; i < entries; i++) {
            json.append(i == 0 ? "" : ",").append(at(stored, i));
        }
        return json.append(']').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The failure for a key that holds something else than a rate-limit log; nothing changed. */
    public static CacheSerializationException notALog(String key) {
        return new CacheSerializationException("key " + MessageText.quoted(key) + " holds a value that is not a "
                + "rate-limit log written by fncache; delete it or use another key");
    }

    /** The number of entries of a well-formed log; else {@link #notALog}. */
    private static int entries(String key, byte[] stored) {
        int body = stored.length - HEADER;
        if (stored.length > MAX_BYTES || body < 0 || body % ENTRY != 0
                || !Arrays.equals(stored, 0, HEADER, MAGIC, 0, HEADER)) {
            throw notALog(key);
        }
        return body / ENTRY;
    }

    /** The index of the first entry later than {@code cutoff} (binary search), or {@code entries}. */
    private static int firstAfter(byte[] log, int entries, long cutoff) {
        int low = 0;
        int high = entries;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (at(log, middle) <= cutoff) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static long at(byte[] log, int entry) {
        return ByteBuffer.wrap(log).getLong(HEADER + ENTRY * entry);
    }
}
