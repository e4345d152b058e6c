package dev.fncache.spi;

import dev.fncache.support.MessageText;
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

    /** Each thread's buffer for a key's code points, so matching allocates nothing. */
    private static final ThreadLocal<int[]> CODE_POINTS = ThreadLocal.withInitial(() -> new int[1024]);

    /** The longest pattern accepted: as long as the longest key. */
    public static final int MAX_PATTERN_BYTES = 1024;

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
    private final boolean startsWithStar;
    private final boolean endsWithStar;
    /** The runs of tokens between stars, in order. */
    private final Segment[] segments;

    private GlobPattern(String pattern, int[] kinds, int[][] ranges, boolean[] negated) {
        this.pattern = pattern;
        this.kinds = kinds;
        this.ranges = ranges;
        this.negated = negated;
        this.startsWithStar = kinds.length > 0 && kinds[0] == STAR;
        this.endsWithStar = kinds.length > 0 && kinds[kinds.length - 1] == STAR;
        List<Segment> runs = new ArrayList<>();
        int runStart = 0;
        for (int k = 0; k <= kinds.length; k++) {
            if (k == kinds.length || kinds[k] == STAR) {
                if (k > runStart || (runs.isEmpty() && k == kinds.length)) {
                    runs.add(new Segment(runStart, k - runStart));
                }
                runStart = k + 1;
            }
        }
        this.segments = runs.toArray(new Segment[0]);
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
        int bytes = pattern.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PATTERN_BYTES) {
            throw new IllegalArgumentException("pattern must be at most " + MAX_PATTERN_BYTES
                    + " bytes of UTF-8 (the longest key), but was " + bytes + " bytes: " + MessageText.quoted(pattern));
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

    /**
     * Whether {@code key} matches the whole pattern, in time linear in the key for each segment
     * between stars: the first segment is matched at the start, the last at the end, and each one
     * between is found at its leftmost place after the previous (which is enough for a glob)
     * with a bit-parallel search, so no pattern makes a match cost key length times pattern length.
     */
    public boolean matches(String key) {
        int[] cps = CODE_POINTS.get();
        if (cps.length < key.length()) {
            cps = new int[key.length()];
            CODE_POINTS.set(cps);
        }
        int count = 0;
        int i = 0;
        while (i < key.length()) {
            int c = key.codePointAt(i);
            cps[count++] = c;
            i += Character.charCount(c);
        }
        return matches(cps, count);
    }

    private boolean matches(int[] cps, int keyLength) {
        Segment[] parts = segments;
        if (parts.length == 1 && !startsWithStar && !endsWithStar) {
            return keyLength == parts[0].length && parts[0].matchesAt(cps, 0);
        }
        int from = 0;
        int first = 0;
        int last = parts.length - 1;
        if (!startsWithStar) {
            if (!parts[0].fitsAt(cps, keyLength, 0)) {
                return false;
            }
            from = parts[0].length;
            first = 1;
        }
        if (!endsWithStar) {
            Segment tail = parts[last];
            int tailStart = keyLength - tail.length;
            if (tailStart < from || !tail.matchesAt(cps, tailStart)) {
                return false;
            }
            last--;
        }
        int limit = endsWithStar ? keyLength : keyLength - parts[parts.length - 1].length;
        for (int i = first; i <= last; i++) {
            int found = parts[i].find(cps, from, limit);
            if (found < 0) {
                return false;
            }
            from = found + parts[i].length;
        }
        return true;
    }

    /**
     * A run of non-star tokens. Searched with Shift-And over multi-word bit sets: bit j of the
     * state says the segment's first j + 1 tokens match the text ending here.
     */
    private final class Segment {
        final int offset;
        final int length;
        final int words;
        /** Positions that accept any character (?) or are classes, as a bit set; classes are tested per character. */
        final long[] anyMask;
        final int[] classPositions;
        /** Positions holding each literal: code points below 256 directly, the others by map. */
        final long[][] latinMasks = new long[256][];
        final java.util.Map<Integer, long[]> otherMasks = new java.util.HashMap<>();

        Segment(int offset, int length) {
            this.offset = offset;
            this.length = length;
            this.words = Math.max(1, (length + 63) >>> 6);
            this.anyMask = new long[words];
            List<Integer> classes = new ArrayList<>();
            for (int j = 0; j < length; j++) {
                int kind = kinds[offset + j];
                if (kind == ANY) {
                    anyMask[j >>> 6] |= 1L << (j & 63);
                } else if (kind == CLASS) {
                    classes.add(j);
                } else if (kind < latinMasks.length) {
                    if (latinMasks[kind] == null) {
                        latinMasks[kind] = new long[words];
                    }
                    latinMasks[kind][j >>> 6] |= 1L << (j & 63);
                } else {
                    otherMasks.computeIfAbsent(kind, k -> new long[words])[j >>> 6] |= 1L << (j & 63);
                }
            }
            this.classPositions = classes.stream().mapToInt(Integer::intValue).toArray();
        }

        boolean fitsAt(int[] cps, int keyLength, int at) {
            return at + length <= keyLength && matchesAt(cps, at);
        }

        boolean matchesAt(int[] cps, int at) {
            for (int j = 0; j < length; j++) {
                if (!matchesOne(offset + j, cps[at + j])) {
                    return false;
                }
            }
            return true;
        }

        /** The leftmost start at or after {@code from} of a match ending at or before {@code limit}, or -1. */
        int find(int[] cps, int from, int limit) {
            if (length == 0) {
                return from;
            }
            long[] state = new long[words];
            long[] accepts = new long[words];
            int lastWord = (length - 1) >>> 6;
            long lastBit = 1L << ((length - 1) & 63);
            for (int s = from; s < limit; s++) {
                int c = cps[s];
                long[] literal = c < latinMasks.length ? latinMasks[c] : otherMasks.get(c);
                for (int w = 0; w < words; w++) {
                    accepts[w] = anyMask[w] | (literal == null ? 0 : literal[w]);
                }
                for (int j : classPositions) {
                    if (matchesOne(offset + j, c)) {
                        accepts[j >>> 6] |= 1L << (j & 63);
                    }
                }
                long carry = 1;
                for (int w = 0; w < words; w++) {
                    long shifted = (state[w] << 1) | carry;
                    carry = state[w] >>> 63;
                    state[w] = shifted & accepts[w];
                }
                if ((state[lastWord] & lastBit) != 0) {
                    return s - length + 1;
                }
            }
            return -1;
        }
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
                + MessageText.quoted(pattern));
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
