package dev.fncache;

import dev.fncache.internal.Arguments;

/**
 * The key rules every cache applies (1 to 1,024 bytes of UTF-8, no control character, no
 * unpaired surrogate), for checking a key that comes from outside, such as a request's field,
 * before it reaches the cache, so a bad one is refused as the caller's mistake and named as the
 * caller named it.
 */
public final class CacheKeys {
    private CacheKeys() {
    }

    /**
     * Returns {@code value} when it is a valid key, or throws {@link IllegalArgumentException}
     * naming {@code name}, the rule and the value ("callid must not contain control characters,
     * but has U+0000 at index 3: ...").
     */
    public static String check(String name, String value) {
        return Arguments.key(Arguments.notNull("name", name), -1, value);
    }
}
