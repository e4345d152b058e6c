package dev.fncache.internal;

import dev.fncache.support.MessageText;
import java.time.Duration;

/** The argument rules of CONTRACT.md, each failing with the argument's name, the rule and the value. */
public final class Arguments {
    public static final int MAX_KEY_BYTES = 1024;
    public static final int MAX_NAMESPACE_CHARS = 64;
    public static final long MAX_TTL_SECONDS = 315_360_000L;
    public static final long MAX_TTL_MILLIS = MAX_TTL_SECONDS * 1000;
    public static final int MAX_VALUE_BYTES_LIMIT = 512 * 1024 * 1024;

    private Arguments() {
    }

    /** A key: 1 to 1024 bytes of UTF-8, no ISO control character, no unpaired surrogate. */
    public static String key(String key) {
        return key(null, -1, key);
    }

    /** Element {@code index} of the collection argument {@code collection}, named only if it is refused. */
    public static String key(String collection, int index, String key) {
        if (key == null) {
            throw new IllegalArgumentException(name(collection, index) + " must not be null");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException(name(collection, index) + " must be 1 to " + MAX_KEY_BYTES
                    + " bytes of UTF-8, but was empty");
        }
        int bytes = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException(name(collection, index)
                        + " must not contain control characters, but has U+"
                        + String.format("%04X", (int) c) + " at index " + i + ": " + MessageText.quoted(key));
            }
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(name(collection, index)
                        + " must be valid Unicode, but has an unpaired surrogate U+"
                        + String.format("%04X", (int) c) + " at index " + i + ": " + MessageText.quoted(key));
            } else {
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
        }
        if (bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException(name(collection, index) + " must be 1 to " + MAX_KEY_BYTES
                    + " bytes of UTF-8, but was " + bytes + " bytes: " + MessageText.quoted(key));
        }
        return key;
    }

    /** The UTF-8 length of a valid key (see {@link #key(String)}), without encoding it. */
    public static int utf8Length(String key) {
        int bytes = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) ? 0 : Character.isLowSurrogate(c) ? 4 : 3;
        }
        return bytes;
    }

    private static String name(String collection, int index) {
        return collection == null ? "key" : index < 0 ? collection : collection + "[" + index + "]";
    }

    /** A namespace: 1 to 64 of {@code A-Z a-z 0-9 . _ -}. */
    public static String namespace(String namespace) {
        if (namespace == null) {
            throw new IllegalArgumentException("namespace must not be null");
        }
        boolean valid = !namespace.isEmpty() && namespace.length() <= MAX_NAMESPACE_CHARS;
        for (int i = 0; valid && i < namespace.length(); i++) {
            char c = namespace.charAt(i);
            valid = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
        }
        if (!valid) {
            throw new IllegalArgumentException("namespace must be 1 to " + MAX_NAMESPACE_CHARS
                    + " of A-Z a-z 0-9 . _ -, but was " + MessageText.quoted(namespace));
        }
        return namespace;
    }

    /** {@link #ttlSeconds(String, long)} as a Duration, for the seconds forms of the API. */
    public static Duration ttlSecondsAsDuration(String name, long seconds) {
        ttlSeconds(name, seconds);
        return Duration.ofSeconds(seconds);
    }

    /** A TTL in seconds, 1 to 315,360,000, as milliseconds. */
    public static long ttlSeconds(String name, long seconds) {
        if (seconds < 1 || seconds > MAX_TTL_SECONDS) {
            throw new IllegalArgumentException(name + " must be between 1 and " + MAX_TTL_SECONDS
                    + " (10 years), but was " + seconds);
        }
        return seconds * 1000;
    }

    /** A TTL as a Duration, 1 s to 10 years, truncated to the millisecond. */
    public static long ttl(Duration ttl) {
        return ttl("ttl", ttl);
    }

    /** A Duration argument named {@code name} with a TTL's bounds, 1 s to 10 years, truncated to the millisecond. */
    public static long ttl(String name, Duration ttl) {
        if (ttl == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofSeconds(MAX_TTL_SECONDS)) > 0) {
            throw new IllegalArgumentException(name + " must be between PT1S and " + Duration.ofSeconds(MAX_TTL_SECONDS)
                    + " (10 years), but was " + ttl);
        }
        return ttl.toMillis();
    }

    /** The largest serialized value, 1 byte to 512 MiB. */
    public static int maxValueBytes(int maxValueBytes) {
        if (maxValueBytes < 1 || maxValueBytes > MAX_VALUE_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxValueBytes must be between 1 and " + MAX_VALUE_BYTES_LIMIT
                    + ", but was " + maxValueBytes);
        }
        return maxValueBytes;
    }

    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
