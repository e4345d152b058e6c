package dev.fncache.support;

import dev.fncache.CacheSerializationException;
import java.nio.charset.StandardCharsets;

/**
 * The shared rules of {@code increment}: a counter is stored as a JSON integer literal that fits a
 * {@code long}, and adding to it must not overflow.
 */
public final class CounterValue {
    private CounterValue() {
    }

    /** The JSON encoding of a counter. */
    public static byte[] encode(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses a stored value as a counter, or throws naming the key and the value found. */
    public static long decode(String key, byte[] stored) {
        String text = new String(stored, StandardCharsets.UTF_8);
        if (isIntegerLiteral(text)) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooLarge) {
                // falls through: a JSON integer outside the long range
            }
        }
        throw notAnInteger(key, text);
    }

    /** {@code current + delta}, or an {@link ArithmeticException} naming the key and both numbers. */
    public static long add(String key, long current, long delta) {
        long sum = current + delta;
        if (((current ^ sum) & (delta ^ sum)) < 0) {
            throw overflow(key, current, delta);
        }
        return sum;
    }

    public static CacheSerializationException notAnInteger(String key, String storedText) {
        return new CacheSerializationException("cannot increment key " + MessageText.quoted(key)
                + ": its value is not an integer that fits a long, but " + MessageText.truncated(storedText));
    }

    public static ArithmeticException overflow(String key, long current, long delta) {
        return new ArithmeticException("increment of key " + MessageText.quoted(key) + " overflows a long: "
                + current + " + " + delta);
    }

    private static boolean isIntegerLiteral(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start || text.length() - start > 19) {
            return false;
        }
        if (text.charAt(start) == '0' && text.length() > start + 1) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
