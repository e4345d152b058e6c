package dev.fncache.support;

import dev.fncache.CacheSerializationException;
import dev.fncache.RateLimitRule;
import dev.fncache.spi.RateLimitHit;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The shared rules and stored forms of the rate-limit algorithms (CONTRACT rule 27), for stores
 * that apply them in Java under the key's lock; the Redis backend runs the same rules in its
 * function library, on the same bytes. A sliding window keeps a {@link SlidingWindowLog}; a fixed
 * window and a token bucket keep 24 bytes: an 8-byte header ({@code fnfw} or {@code fntb}, then
 * the format version 1) and two big-endian longs, the window's start and its count, or the
 * bucket's tokens and the time they were counted. Stored state is checked before it is used.
 */
public final class RateLimitStates {
    static final byte[] FIXED_WINDOW_MAGIC = {'f', 'n', 'f', 'w', 0, 0, 0, 1};
    static final byte[] TOKEN_BUCKET_MAGIC = {'f', 'n', 't', 'b', 0, 0, 0, 1};
    private static final int COUNTER_BYTES = 24;

    private RateLimitStates() {
    }

    /**
     * One call's outcome and what to store.
     *
     * @param outcome     what the call answers
     * @param value       the state to store (null when nothing changes): its first {@code valueLength} bytes
     * @param valueLength the state's length in bytes
     * @param ttlMillis   the stored state's TTL: until it means the same as an absent key
     */
    public record Step(RateLimitHit outcome, byte[] value, int valueLength, long ttlMillis) {
        /** The state to store, exactly {@code valueLength} bytes; null when nothing changes. */
        public byte[] valueBytes() {
            return value == null || value.length == valueLength ? value : Arrays.copyOf(value, valueLength);
        }
    }

    /**
     * Applies {@code cost} hits of {@code rule} at {@code now} to the state in the first
     * {@code length} bytes of {@code stored} (null: absent), or with {@code consume} false what a
     * hit of cost 1 would get, changing nothing. {@code inPlace}: see {@link SlidingWindowLog#hit}.
     */
    public static Step apply(String key, byte[] stored, int length, RateLimitRule rule, int cost, boolean consume,
            long now, boolean inPlace) {
        long period = rule.period().toMillis();
        return switch (rule.algorithm()) {
            case SLIDING_WINDOW -> {
                SlidingWindowLog.Hit hit = SlidingWindowLog.hit(key, stored, length, rule.limit(), period, now, cost,
                        consume, inPlace);
                yield new Step(hit.outcome(rule.limit()), hit.log(), hit.logLength(), period);
            }
            case FIXED_WINDOW -> fixedWindow(key, counter(key, stored, length, FIXED_WINDOW_MAGIC), rule.limit(), period,
                    now, consume ? cost : 1, consume);
            case TOKEN_BUCKET -> tokenBucket(key, counter(key, stored, length, TOKEN_BUCKET_MAGIC), rule, now,
                    consume ? cost : 1, consume);
        };
    }

    private static Step fixedWindow(String key, long[] state, int limit, long window, long now, int cost,
            boolean consume) {
        long start = now - Math.floorMod(now, window);
        long count = state != null && state[0] == start ? state[1] : 0;
        long end = start + window;
        boolean allowed = count + cost <= limit;
        if (!allowed || !consume) {
            return new Step(new RateLimitHit(allowed, Math.max(0, limit - count), allowed ? 0 : end - now), null, 0, 0);
        }
        count += cost;
        return new Step(new RateLimitHit(true, limit - count, 0), counterBytes(FIXED_WINDOW_MAGIC, start, count),
                COUNTER_BYTES, end - now);
    }

    private static Step tokenBucket(String key, long[] state, RateLimitRule rule, long now, int cost, boolean consume) {
        long capacity = rule.limit();
        long refill = rule.refillTokens();
        long every = rule.period().toMillis();
        long tokens = capacity;
        long counted = now;
        if (state != null) {
            tokens = Math.min(capacity, state[0]);
            counted = state[1];
            if (now > counted) {
                long periods = (now - counted) / every;
                if (periods >= periodsFor(capacity - tokens, refill)) {
                    tokens = capacity;
                } else {
                    tokens += periods * refill;
                    counted += periods * every;
                }
            }
            if (tokens == capacity) {
                counted = now;
            }
        }
        boolean allowed = tokens >= cost;
        if (!allowed || !consume) {
            long retry = allowed ? 0 : Math.max(1, counted + periodsFor(cost - tokens, refill) * every - now);
            return new Step(new RateLimitHit(allowed, tokens, retry), null, 0, 0);
        }
        tokens -= cost;
        long full = counted + periodsFor(capacity - tokens, refill) * every;
        return new Step(new RateLimitHit(true, tokens, 0), counterBytes(TOKEN_BUCKET_MAGIC, tokens, counted),
                COUNTER_BYTES, Math.max(1, full - now));
    }

    private static long periodsFor(long tokens, long refill) {
        return tokens <= 0 ? 0 : (tokens + refill - 1) / refill;
    }

    /** The two numbers of a counter state, null when absent; refuses anything else. */
    private static long[] counter(String key, byte[] stored, int length, byte[] magic) {
        if (stored == null) {
            return null;
        }
        if (length != COUNTER_BYTES || !Arrays.equals(stored, 0, 8, magic, 0, 8)) {
            throw notAState(key);
        }
        ByteBuffer numbers = ByteBuffer.wrap(stored, 0, COUNTER_BYTES);
        long first = numbers.getLong(8);
        long second = numbers.getLong(16);
        if (first < 0 || second < 0) {
            throw notAState(key);
        }
        return new long[] {first, second};
    }

    private static byte[] counterBytes(byte[] magic, long first, long second) {
        return ByteBuffer.allocate(COUNTER_BYTES).put(magic).putLong(first).putLong(second).array();
    }

    /** The failure for a key that holds something else than this rule's state; nothing changed. */
    public static CacheSerializationException notAState(String key) {
        return new CacheSerializationException("key " + MessageText.quoted(key) + " holds a value that is not the "
                + "state fncache writes for this rate-limit rule (another algorithm's, or not a rate limit's); delete "
                + "it or use another key");
    }

    /**
     * {@code stored} as JSON: a sliding-window log as its hits' times ({@link SlidingWindowLog#asJson}),
     * a fixed window as {@code {"windowStart":MILLIS,"count":N}}, a bucket as
     * {@code {"tokens":N,"countedAt":MILLIS}}; anything else as it is.
     */
    public static byte[] asJson(byte[] stored) {
        if (stored.length < 8 || stored[4] != 0 || stored[0] != 'f') {
            return stored;
        }
        if (stored.length == COUNTER_BYTES && (Arrays.equals(stored, 0, 8, FIXED_WINDOW_MAGIC, 0, 8)
                || Arrays.equals(stored, 0, 8, TOKEN_BUCKET_MAGIC, 0, 8))) {
            ByteBuffer numbers = ByteBuffer.wrap(stored);
            boolean window = stored[2] == 'f';
            return ((window ? "{\"windowStart\":" : "{\"tokens\":") + numbers.getLong(8)
                    + (window ? ",\"count\":" : ",\"countedAt\":") + numbers.getLong(16) + "}")
                    .getBytes(StandardCharsets.US_ASCII);
        }
        return SlidingWindowLog.asJson(stored);
    }
}
