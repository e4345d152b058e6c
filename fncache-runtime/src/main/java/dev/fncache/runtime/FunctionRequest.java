package dev.fncache.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fncache.CacheJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One HTTP request, read whole before the handler runs (at most 1 MiB of body). */
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
     * The JSON body read as {@code type}, with the cache's JSON rules (unknown properties ignored,
     * java.time as ISO-8601). An empty or malformed body is a {@link BadRequestException}: 400.
     */
    public <T> T bodyAs(Class<T> type) {
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
