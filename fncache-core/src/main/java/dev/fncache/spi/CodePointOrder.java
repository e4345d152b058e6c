package dev.fncache.spi;

import java.util.Comparator;

/**
 * Unicode code point order of keys, which is the byte order of their UTF-8 and so the order of
 * SQLite's and Redis's indexes. It differs from {@link String#compareTo} only where a character
 * above U+FFFF (two UTF-16 surrogates) meets one of U+E000 to U+FFFF.
 */
public final class CodePointOrder {
    /** Compares two keys by code point. */
    public static final Comparator<String> COMPARATOR = CodePointOrder::compare;

    private CodePointOrder() {
    }

    /** Negative, zero or positive as {@code a} comes before, with or after {@code b} in code point order. */
    public static int compare(String a, String b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return codeUnitRank(x) - codeUnitRank(y);
            }
        }
        return a.length() - b.length();
    }

    /** Moves surrogates above U+E000..U+FFFF, as their code points are (the fix-up ICU uses). */
    private static int codeUnitRank(char c) {
        if (c >= Character.MIN_SURROGATE) {
            return c <= Character.MAX_SURROGATE ? c + 0x2000 : c - 0x800;
        }
        return c;
    }
}
