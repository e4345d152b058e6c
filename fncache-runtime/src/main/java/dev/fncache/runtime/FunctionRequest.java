package dev.fncache.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fncache.CacheJson;
import dev.fncache.CacheKeys;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request, read whole before the handler runs (at most 1 MiB of body). The body is JSON
 * or, as voice and SMS webhooks often send it, a form ({@code application/x-www-form-urlencoded});
 * {@link #bodyAs} reads either.
 */
public final class FunctionRequest {
    private final String method;
    private final String path;
    private final Map<String, List<String>> headers;
    private final Map<String, List<String>> queryParams;
    private final byte[] body;

    /**
     * @param headers     header values by lower-case name
     * @param queryParams query parameter values by name
     */
    public FunctionRequest(String method, String path, Map<String, List<String>> headers,
            Map<String, List<String>> queryParams, byte[] body) {
        this.method = method;
        this.path = path;
        this.headers = Map.copyOf(headers);
        this.queryParams = Map.copyOf(queryParams);
        this.body = body.clone();
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** Every header, by lower-case name. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header (any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public Map<String, List<String>> queryParams() {
        return queryParams;
    }

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> values = queryParams.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The raw body. */
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Whether the body is a form ({@code Content-Type: application/x-www-form-urlencoded}). A body
     * that starts with a brace or a bracket is JSON whatever its type says: that is what
     * {@code curl -d} sends for a JSON argument, and a form percent-encodes those characters.
     */
    public boolean isForm() {
        String type = header("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                && !startsLikeJson();
    }

    private boolean startsLikeJson() {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{' || b == '[';
            }
        }
        return false;
    }

    /**
     * A form body's fields, each with its first value (empty when the body is not a form). A field
     * that is not valid percent-encoding is a {@link BadRequestException}: 400.
     */
    public Map<String, String> formParams() {
        Map<String, String> fields = new LinkedHashMap<>();
        if (!isForm() || body.length == 0) {
            return fields;
        }
        for (String pair : bodyText().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("the form body has a field that is not valid percent-encoding: " + e.getMessage());
            }
        }
        return fields;
    }

    /** The first value of a form body's field, or null. */
    public String formParam(String name) {
        return formParams().get(name);
    }

    /**
     * {@code value}, the field {@code field} of this request, checked as the cache key
     * {@code keyPrefix + value} a handler will use: missing or empty is a
     * {@link BadRequestException} "FIELD is required", and one the cache would refuse (too long,
     * a control character) a {@link BadRequestException} naming the field and the rule, so bad
     * input is the caller's 400, never the function's 500.
     */
    public static String requireKey(String field, String value, String keyPrefix) {
        if (value == null || value.isEmpty()) {
            throw new BadRequestException(field + " is required");
        }
        try {
            CacheKeys.check(field, keyPrefix + value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(keyPrefix.isEmpty() ? e.getMessage()
                    : e.getMessage() + " (the key is " + field + " after the prefix '" + keyPrefix + "')", e);
        }
        return value;
    }

    /** {@link #requireKey(String, String, String)} for a value used as a key as it is. */
    public static String requireKey(String field, String value) {
        return requireKey(field, value, "");
    }

    /**
     * The body read as {@code type}, with the cache's JSON rules (unknown properties ignored,
     * java.time as ISO-8601): a JSON body as it is, a form body as the JSON object of its fields
     * (each a string, so {@code CallSid=CA9&From=%2B46...} reads into a record of {@code String}s).
     * An empty or malformed body is a {@link BadRequestException}: 400.
     */
    public <T> T bodyAs(Class<T> type) {
        if (isForm() && body.length > 0) {
            try {
                return CacheJson.reader().forType(type).readValue(CacheJson.writer().writeValueAsBytes(formParams()));
            } catch (JsonProcessingException e) {
                throw new BadRequestException("the form body does not fit a " + type.getSimpleName() + ": "
                        + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new BadRequestException("the form body could not be read: " + e.getMessage(), e);
            }
        }
        if (body.length == 0) {
            throw new BadRequestException("the request body must be a JSON " + type.getSimpleName() + ", but it was empty");
        }
        try {
            return CacheJson.reader().forType(type).readValue(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("the request body is not a valid JSON " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BadRequestException("the request body could not be read: " + e.getMessage(), e);
        }
    }
}
