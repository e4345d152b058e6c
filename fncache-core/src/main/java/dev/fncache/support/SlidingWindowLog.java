package dev.fncache.support;

import dev.fncache.CacheSerializationException;
import dev.fncache.spi.RateLimitHit;
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
    public static final int MAX_LIMIT = dev.fncache.RateLimitRule.MAX_SLIDING_LIMIT;
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
     * @param log              the log to store (null when nothing changes): its first {@code logLength}
     *                         bytes, in a buffer that may have room to append (see the in-place {@code hit})
     * @param logLength        the log's length in bytes
     */
    public record Hit(boolean allowed, int hits, long retryAfterMillis, byte[] log, int logLength) {
        /** What the hit came to under {@code limit}, as a store answers it. */
        public RateLimitHit outcome(int limit) {
            return new RateLimitHit(allowed, Math.max(0, limit - hits), retryAfterMillis);
        }

        /** The log to store, exactly {@code logLength} bytes; null when nothing changes. */
        public byte[] logBytes() {
            return log == null || log.length == logLength ? log : Arrays.copyOf(log, logLength);
        }
    }

    /** How many entries a log of {@code limit} may hold before an allowed hit compacts it. */
    public static int compactAt(int limit) {
        return limit + limit / 4 + 8;
    }

    /** Applies a hit at {@code now} to {@code stored} (null when the key is absent); the result is a new array. */
    public static Hit hit(String key, byte[] stored, int limit, long windowMillis, long now) {
        return hit(key, stored, stored == null ? 0 : stored.length, limit, windowMillis, now, 1, true, false);
    }

    /**
     * {@link #hit} of {@code cost} hits, or with {@code consume} false what a hit of cost 1 would
     * get, changing nothing. With {@code inPlace}, the log is kept in the first {@code length}
     * bytes of {@code buffer}, for a store that keeps logs in memory: an allowed hit writes its
     * entries in place when the buffer has room, so the cost does not grow with the log. The caller
     * must hold the key's lock and must never append to the same buffer from an older length:
     * readers of that older length read only below it, so they are unaffected. A full buffer is
     * replaced by one twice as large (up to the compaction size), so appending costs O(1) amortized.
     */
    public static Hit hit(String key, byte[] buffer, int length, int limit, long windowMillis, long now, int cost,
            boolean consume, boolean inPlace) {
        byte[] stored = buffer;
        int entries = stored == null ? 0 : entries(key, stored, length);
        long cutoff = now - windowMillis;
        int first = firstAfter(stored, entries, cutoff);
        int inWindow = entries - first;
        int asked = consume ? cost : 1;
        if (inWindow + asked > limit) {
            long freesRoom = at(stored, Math.max(first, entries + asked - limit - 1));
            return new Hit(false, inWindow, Math.max(1, freesRoom + windowMillis - now), null, 0);
        }
        if (!consume) {
            return new Hit(true, inWindow, 0, null, 0);
        }
        long time = entries == 0 ? now : Math.max(now, at(stored, entries - 1));
        byte[] log;
        int kept;
        if (entries + cost > compactAt(limit)) {
            kept = inWindow;
            log = new byte[capacity(inPlace, inWindow + cost, limit)];
            System.arraycopy(MAGIC, 0, log, 0, HEADER);
            System.arraycopy(stored, HEADER + ENTRY * first, log, HEADER, ENTRY * inWindow);
        } else {
            kept = entries;
            int needed = HEADER + ENTRY * (entries + cost);
            if (inPlace && stored != null && stored.length >= needed) {
                log = stored;
            } else {
                log = Arrays.copyOf(stored == null ? MAGIC : stored, capacity(inPlace, entries + cost, limit));
            }
        }
        int logLength = HEADER + ENTRY * (kept + cost);
        ByteBuffer entriesOut = ByteBuffer.wrap(log);
        for (int i = kept; i < kept + cost; i++) {
            entriesOut.putLong(HEADER + ENTRY * i, time);
        }
        return new Hit(true, inWindow + cost, 0, log, logLength);
    }

    /** The bytes of a buffer for {@code entries} entries: exact, or with room to double for appending in place. */
    private static int capacity(boolean inPlace, int entries, int limit) {
        int room = inPlace ? Math.min(compactAt(limit), Math.max(16, 2 * entries)) : entries;
        return HEADER + ENTRY * Math.max(entries, room);
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

    /** The number of entries of a well-formed log in the first {@code length} bytes of {@code stored}; else {@link #notALog}. */
    private static int entries(String key, byte[] stored, int length) {
        int body = length - HEADER;
        if (length > MAX_BYTES || body < 0 || body % ENTRY != 0
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
