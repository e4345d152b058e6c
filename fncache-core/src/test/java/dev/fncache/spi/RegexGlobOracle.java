package dev.fncache.spi;

import java.util.regex.Pattern;

/**
 * A second, independent reading of the glob rules in CONTRACT.md, by translation to a
 * {@link java.util.regex.Pattern}; the property tests check {@link GlobPattern} against it.
 */
final class RegexGlobOracle {
    private final Pattern regex;

    private RegexGlobOracle(Pattern regex) {
        this.regex = regex;
    }

    /** The oracle for {@code glob}, or an {@link IllegalArgumentException} when it is malformed. */
    static RegexGlobOracle of(String glob) {
        int[] in = glob.codePoints().toArray();
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < in.length) {
            int c = in[at++];
            switch (c) {
                case '*' -> out.append(".*");
                case '?' -> out.append('.');
                case '\\' -> {
                    if (at >= in.length) {
                        throw new IllegalArgumentException("dangling escape");
                    }
                    out.append(hex(in[at++]));
                }
                case '[' -> at = translateClass(in, at, out);
                default -> out.append(hex(c));
            }
        }
        return new RegexGlobOracle(Pattern.compile(out.toString(), Pattern.DOTALL));
    }

    private static int translateClass(int[] in, int at, StringBuilder out) {
        out.append('[');
        if (at < in.length && in[at] == '^') {
            out.append('^');
            at++;
        }
        int start = at;
        while (true) {
            if (at >= in.length) {
                throw new IllegalArgumentException("unclosed class");
            }
            if (in[at] == ']' && at > start) {
                out.append(']');
                return at + 1;
            }
            int low = in[at] == '\\' ? escaped(in, ++at) : in[at];
            at++;
            boolean range = at + 1 < in.length && in[at] == '-' && in[at + 1] != ']';
            if (!range) {
                out.append(hex(low));
                continue;
            }
            at++;
            int high = in[at] == '\\' ? escaped(in, ++at) : in[at];
            at++;
            out.append(hex(Math.min(low, high))).append('-').append(hex(Math.max(low, high)));
        }
    }

    private static int escaped(int[] in, int at) {
        if (at >= in.length) {
            throw new IllegalArgumentException("dangling escape in class");
        }
        return in[at];
    }

    private static String hex(int codePoint) {
        return "\\x{" + Integer.toHexString(codePoint) + "}";
    }

    boolean matches(String key) {
        return regex.matcher(key).matches();
    }
}
