package dev.fncache.support;

import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Versions and lease tokens: 128 random bits, so a version never repeats for a key (write A,
 * write B, write A again gives three versions) without any shared counter to keep.
 */
public final class EntryVersion {
    private static final Base64.Encoder TEXT = Base64.getUrlEncoder().withoutPadding();

    private EntryVersion() {
    }

    /** A fresh 22-character token. */
    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return text(random.nextLong(), random.nextLong());
    }

    /**
     * The 22-character text of the 128 bits {@code high} and {@code low}, so a store can keep a
     * version as two longs and format it only when someone reads it.
     */
    public static String text(long high, long low) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return TEXT.encodeToString(bytes);
    }
}
