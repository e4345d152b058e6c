package dev.fncache.support;

/**
 * How user-supplied strings appear in error messages: quoted, control characters and unpaired
 * surrogates escaped, and long values truncated so a message never carries a megabyte of input.
 */
public final class MessageText {
    static final int MAX_SHOWN_CHARS = 80;

    private MessageText() {
    }

    /** {@code 'value'} escaped and truncated after 80 characters; {@code null} for null. */
    public static String quoted(String value) {
        return value == null ? "null" : "'" + truncated(value) + "'";
    }

    /** The value escaped and truncated after 80 characters. */
    public static String truncated(String value) {
        StringBuilder out = new StringBuilder();
        int end = Math.min(value.length(), MAX_SHOWN_CHARS);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            boolean pairedSurrogate = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pairedSurrogate) {
                out.append(c).append(value.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > end) {
            out.append("...(").append(value.length()).append(" chars)");
        }
        return out.toString();
    }
}
