package dev.fncache.internal;

import dev.fncache.support.MessageText;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The cursor of paged {@code keys}: the last key of a page, as URL-safe Base64 of its UTF-8 behind
 * a version tag, so it names a position (valid on every instance, for ever) and is opaque enough
 * that nobody builds one by hand.
 */
public final class KeyCursor {
    private static final String TAG = "k1.";

    private KeyCursor() {
    }

    /** The cursor whose page starts after {@code lastKey}. */
    public static String after(String lastKey) {
        return TAG + Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The key a cursor starts after; null for a null cursor (the start). */
    public static String position(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            if (!cursor.startsWith(TAG)) {
                throw new IllegalArgumentException("no version tag");
            }
            byte[] utf8 = Base64.getUrlDecoder().decode(cursor.substring(TAG.length()));
            String key = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
            return Arguments.key(key);
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new IllegalArgumentException("cursor must be null or a nextCursor returned by keys(pattern, limit, "
                    + "cursor), but was " + MessageText.quoted(cursor), e);
        }
    }
}
