package dev.fncache.spi;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cache URL split into its scheme and the scheme-specific rest, e.g. {@code sqlite:./cache.db}
 * or {@code redis://user:secret@host:6379/0}. {@link #toString()} hides any password, so the URL
 * may appear in logs and exception messages.
 */
public final class CacheUrl {
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(.*)", Pattern.DOTALL);
    private static final Pattern USER_INFO = Pattern.compile("//([^/@?#]*)@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&](?:password|pass|pwd)=)[^&#]*");

    private final String scheme;
    private final String rest;
    private final String redacted;

    private CacheUrl(String scheme, String rest, String redacted) {
        this.scheme = scheme;
        this.rest = rest;
        this.redacted = redacted;
    }

    /** Parses {@code scheme:rest}; the scheme is case-insensitive and returned in lower case. */
    public static CacheUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url must be a cache URL such as 'memory:', 'sqlite:PATH' or "
                    + "'redis://HOST:PORT', but was " + (url == null ? "null" : "blank"));
        }
        String redacted = redact(url.strip());
        Matcher matcher = SCHEME.matcher(url.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("url must start with a scheme such as 'memory:', 'sqlite:' or "
                    + "'redis://', but was " + Shown.quoted(redacted));
        }
        return new CacheUrl(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(2), redacted);
    }

    /** The scheme in lower case, without the colon. */
    public String scheme() {
        return scheme;
    }

    /** Everything after {@code scheme:}, secrets included: never log this. */
    public String rest() {
        return rest;
    }

    /** The URL with any password replaced by {@code ***}. */
    @Override
    public String toString() {
        return redacted;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CacheUrl that && scheme.equals(that.scheme) && rest.equals(that.rest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, rest);
    }

    /** Hides the password of {@code //user:password@}, a lone {@code //password@}, and password parameters. */
    private static String redact(String url) {
        String hidden = USER_INFO.matcher(url).replaceFirst(match -> {
            String userInfo = match.group(1);
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? "" : userInfo.substring(0, colon);
            return Matcher.quoteReplacement("//" + user + ":***@");
        });
        return PASSWORD_PARAMETER.matcher(hidden).replaceAll("$1***");
    }
}
