package dev.fncache.spi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A compiled Redis-style glob over Unicode code points: {@code *} any run, {@code ?} one
 * character, {@code [abc]}, {@code [^abc]}, {@code [a-z]} (a reversed range is swapped, as in
 * Redis), and {@code \} escapes the next character. Inside brackets a {@code ]} right after the
 * opening {@code [} or {@code [^} and a {@code -} at either end are literal. An unclosed {@code [}
 * and a trailing {@code \} are malformed.
 *
 * <p>Backends use {@link #literalPrefix()} to narrow a lookup to an index range before testing
 * each candidate with {@link #matches(String)}.
 */
public final class GlobPattern {
    private static final int STAR = -1;
    private static final int ANY = -2;
    private static final int CLASS = -3;

    /** Matches every key. */
    public static final GlobPattern ALL = compile("*");

    private final String pattern;
    /** A code point for a literal, or STAR, ANY, CLASS. */
    private final int[] kinds;
    /** For CLASS tokens: inclusive ranges as pairs; null otherwise. */
    private final int[][] ranges;
    private final boolean[] negated;
    private final String literalPrefix;
    private final boolean literal;

    private GlobPattern(String pattern, int[] kinds, int[][] ranges, boolean[] negated) {
        this.pattern = pattern;
        this.kinds = kinds;
        this.ranges = ranges;
        this.negated = negated;
        StringBuilder prefix = new StringBuilder();
        int i = 0;
        while (i < kinds.length && kinds[i] >= 0) {
            prefix.appendCodePoint(kinds[i++]);
        }
        this.literalPrefix = prefix.toString();
        this.literal = i == kinds.length;
    }

    /** Compiles {@code pattern}, or throws {@link IllegalArgumentException} when it is malformed. */
    public static GlobPattern compile(String pattern) {
        if (pattern == null) {
            throw new IllegalArgumentException("pattern must be a glob such as 'session:*', but was null");
        }
        List<Integer> kinds = new ArrayList<>();
        List<int[]> ranges = new ArrayList<>();
        List<Boolean> negated = new ArrayList<>();
        int[] cps = pattern.codePoints().toArray();
        int i = 0;
        while (i < cps.length) {
            int c = cps[i];
            int[] classRanges = null;
            boolean classNegated = false;
            if (c == '*') {
                i++;
                if (!kinds.isEmpty() && kinds.get(kinds.size() - 1) == STAR) {
                    continue;
                }
                c = STAR;
            } else if (c == '?') {
                i++;
                c = ANY;
            } else if (c == '\\') {
                if (i + 1 == cps.length) {
                    throw malformed(pattern, "it ends with an unescaped '\\'");
                }
                c = cps[i + 1];
                i += 2;
            } else if (c == '[') {
                int start = i;
                i++;
                if (i < cps.length && cps[i] == '^') {
                    classNegated = true;
                    i++;
                }
                List<Integer> bounds = new ArrayList<>();
                boolean first = true;
                while (true) {
                    if (i == cps.length) {
                        throw malformed(pattern, "the '[' at index " + start + " is never closed by ']'");
                    }
                    int member = cps[i];
                    if (member == ']' && !first) {
                        i++;
                        break;
                    }
                    first = false;
                    if (member == '\\') {
                        if (i + 1 == cps.length) {
                            throw malformed(pattern, "it ends with an unescaped '\\'");
                        }
                        member = cps[++i];
                    }
                    i++;
                    int high = member;
                    if (i + 1 < cps.length && cps[i] == '-' && cps[i + 1] != ']') {
                        i++;
                        if (cps[i] == '\\') {
                            if (i + 1 == cps.length) {
                                throw malformed(pattern, "it ends with an unescaped '\\'");
                            }
                            i++;
                        }
                        high = cps[i++];
                    }
                    bounds.add(Math.min(member, high));
                    bounds.add(Math.max(member, high));
                }
                classRanges = bounds.stream().mapToInt(Integer::intValue).toArray();
                c = CLASS;
            } else {
                i++;
            }
            kinds.add(c);
            ranges.add(classRanges);
            negated.add(classNegated);
        }
        boolean[] negatedArray = new boolean[negated.size()];
        for (int k = 0; k < negatedArray.length; k++) {
            negatedArray[k] = negated.get(k);
        }
        return new GlobPattern(pattern, kinds.stream().mapToInt(Integer::intValue).toArray(),
                ranges.toArray(new int[0][]), negatedArray);
    }

    /** Whether {@code key} matches the whole pattern. */
    public boolean matches(String key) {
        int[] cps = key.codePoints().toArray();
        int p = 0;
        int s = 0;
        int starP = -1;
        int starS = 0;
        while (s < cps.length) {
            if (p < kinds.length && kinds[p] != STAR && matchesOne(p, cps[s])) {
                p++;
                s++;
            } else if (p < kinds.length && kinds[p] == STAR) {
                starP = p++;
                starS = s;
            } else if (starP >= 0) {
                p = starP + 1;
                s = ++starS;
            } else {
                return false;
            }
        }
        while (p < kinds.length && kinds[p] == STAR) {
            p++;
        }
        return p == kinds.length;
    }

    /** The literal text every matching key starts with (empty when the pattern starts with a wildcard). */
    public String literalPrefix() {
        return literalPrefix;
    }

    /** The literal prefix as UTF-8: the inclusive start of the byte range holding every match. */
    public byte[] literalPrefixUtf8() {
        return literalPrefix.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The exclusive end of that byte range: the prefix followed by 0xFF, a byte that never occurs
     * in UTF-8, so every key starting with the prefix sorts before it in byte order.
     */
    public byte[] literalPrefixUtf8End() {
        byte[] prefix = literalPrefixUtf8();
        byte[] end = Arrays.copyOf(prefix, prefix.length + 1);
        end[prefix.length] = (byte) 0xFF;
        return end;
    }

    /** True when the pattern has no wildcard, so it matches exactly {@link #literalPrefix()}. */
    public boolean isLiteral() {
        return literal;
    }

    /** The pattern as written. */
    public String pattern() {
        return pattern;
    }

    @Override
    public String toString() {
        return pattern;
    }

    private boolean matchesOne(int token, int codePoint) {
        int kind = kinds[token];
        if (kind >= 0) {
            return kind == codePoint;
        }
        if (kind == ANY) {
            return true;
        }
        int[] bounds = ranges[token];
        boolean inside = false;
        for (int r = 0; r < bounds.length && !inside; r += 2) {
            inside = codePoint >= bounds[r] && codePoint <= bounds[r + 1];
        }
        return inside != negated[token];
    }

    private static IllegalArgumentException malformed(String pattern, String reason) {
        return new IllegalArgumentException("pattern must be a well-formed glob, but " + reason + ": "
                + Shown.quoted(pattern));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GlobPattern that && pattern.equals(that.pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode() ^ Arrays.hashCode(kinds);
    }
}
