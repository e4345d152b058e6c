package dev.fncache.spi;

import dev.fncache.support.MessageText;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cache URL split into its scheme and the scheme-specific rest, e.g. {@code sqlite:./cache.db}
 * or {@code redis://user:secret@host:6379/0}.
 *
 * <p>Credentials are found by parsing, not by pattern: in {@code scheme://USERINFO@HOST...}
 * everything between {@code //} and the <em>last</em> {@code @} is the user info, so a password
 * may contain {@code / ? # @} and still never be printed. User and password are percent-decoded
 * as RFC 3986 says ({@code %2F} is {@code /}; a {@code +} stays a plus). {@link #toString()} shows
 * the user but never the password (nor a query option whose name ends in {@code password}), so
 * the URL may appear in logs and exception messages.
 */
public final class CacheUrl {
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(.*)", Pattern.DOTALL);
    private static final Pattern AUTHORITY_START = Pattern.compile("[^:/@?#]*://");
    private static final Pattern SCHEME_START = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&](?:[a-z]*password|pass|pwd)=)[^&#]*");
    private static final String HIDDEN = "***";

    private final String scheme;
    private final String rest;
    private final String user;
    private final String password;
    private final String restWithoutUserInfo;
    private final String redacted;

    private CacheUrl(String scheme, String rest, String user, String password, String restWithoutUserInfo,
            String redacted) {
        this.scheme = scheme;
        this.rest = rest;
        this.user = user;
        this.password = password;
        this.restWithoutUserInfo = restWithoutUserInfo;
        this.redacted = redacted;
    }

    /**
     * Parses {@code scheme:rest}; the scheme is case-insensitive and returned in lower case.
     *
     * @throws IllegalArgumentException when there is no scheme, or the user info has a malformed
     *     percent escape; the message shows the URL without its password
     */
    public static CacheUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url must be a cache URL such as 'memory:', 'sqlite:PATH' or "
                    + "'redis://HOST:PORT', but was " + (url == null ? "null" : "blank"));
        }
        String stripped = url.strip();
        String redacted = redact(stripped);
        Matcher matcher = SCHEME.matcher(stripped);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("url must start with a scheme such as 'memory:', 'sqlite:' or "
                    + "'redis://', but was " + MessageText.quoted(redacted));
        }
        String scheme = matcher.group(1).toLowerCase(Locale.ROOT);
        String rest = matcher.group(2);
        int at = rest.startsWith("//") ? rest.lastIndexOf('@') : -1;
        if (at < 0) {
            return new CacheUrl(scheme, rest, null, null, rest, redacted);
        }
        String userInfo = rest.substring(2, at);
        int colon = userInfo.indexOf(':');
        String rawUser = colon < 0 ? "" : userInfo.substring(0, colon);
        String rawPassword = colon < 0 ? userInfo : userInfo.substring(colon + 1);
        String user = rawUser.isEmpty() ? null : percentDecoded("user", rawUser, redacted);
        String password = rawPassword.isEmpty() ? null : percentDecoded("password", rawPassword, redacted);
        return new CacheUrl(scheme, rest, user, password, "//" + rest.substring(at + 1), redacted);
    }

    /** The scheme in lower case, without the colon. */
    public String scheme() {
        return scheme;
    }

    /** Everything after {@code scheme:}, secrets included: never log this. */
    public String rest() {
        return rest;
    }

    /**
     * The user of {@code //USER:PASSWORD@}, percent-decoded; null when there is none. A lone
     * {@code //SECRET@} names a password, not a user, as Redis clients read it.
     */
    public String user() {
        return user;
    }

    /** The password of {@code //USER:PASSWORD@} or {@code //PASSWORD@}, percent-decoded; null when none. */
    public String password() {
        return password;
    }

    /** {@link #rest()} with the user info and its {@code @} removed: {@code //HOST:PORT/0?timeout=2s}. */
    public String restWithoutUserInfo() {
        return restWithoutUserInfo;
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

    /**
     * Hides what lies between the leading {@code scheme://} (or, without the slashes, the
     * scheme's colon) and the last {@code @}, except a user name before the first colon; and
     * password parameters. Works on any text, so a URL that fails to parse is shown safely too.
     */
    static String redact(String url) {
        String hidden = url;
        int at = url.lastIndexOf('@');
        if (at >= 0) {
            Matcher authority = AUTHORITY_START.matcher(url);
            Matcher scheme = SCHEME_START.matcher(url);
            int start = authority.lookingAt() ? authority.end() : scheme.lookingAt() ? scheme.end() : 0;
            String userInfo = url.substring(start, at);
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? "" : userInfo.substring(0, colon);
            hidden = url.substring(0, start) + user + ":" + HIDDEN + url.substring(at);
        }
        return PASSWORD_PARAMETER.matcher(hidden).replaceAll("$1" + Matcher.quoteReplacement(HIDDEN));
    }

    /**
     * A secret given as a query option ({@code ?sentinelPassword=...}), percent-decoded like the
     * user info, so it may contain {@code &} ({@code %26}); an error names the option and shows
     * {@code url} without its passwords.
     */
    public static String percentDecoded(String option, String value, CacheUrl url) {
        return percentDecoded("option " + option, value, url.redacted);
    }

    /** RFC 3986 percent-decoding: {@code %XX} escapes of UTF-8 bytes; every other character as it is. */
    private static String percentDecoded(String part, String text, String redactedUrl) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(encoded);
                continue;
            }
            int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
            if (low < 0) {
                throw new IllegalArgumentException("url's " + part + " must write '%' only as the start of a "
                        + "percent escape %XX (RFC 3986; a literal '%' is %25), but character " + (i + 1)
                        + " of it is not; url was " + MessageText.quoted(redactedUrl));
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("url's " + part + " must percent-encode UTF-8 bytes (RFC 3986), but "
                    + "its escapes are not valid UTF-8; url was " + MessageText.quoted(redactedUrl));
        }
    }
}
