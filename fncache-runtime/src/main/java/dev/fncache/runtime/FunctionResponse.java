package dev.fncache.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response with an explicit status and headers. The body is written as JSON unless it is a
 * {@code String} (text/plain) or {@code byte[]} (application/octet-stream), or a
 * {@code Content-Type} header says otherwise; a null body is empty.
 */
public final class FunctionResponse {
    private final int status;
    private final Map<String, String> headers;
    private final Object body;

    private FunctionResponse(int status, Map<String, String> headers, Object body) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status between 100 and 599, but was " + status);
        }
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.body = body;
    }

    /** 200 with {@code body}. */
    public static FunctionResponse ok(Object body) {
        return of(200, body);
    }

    /** Any status with {@code body}. */
    public static FunctionResponse of(int status, Object body) {
        return new FunctionResponse(status, Map.of(), body);
    }

    /** 204, no body. */
    public static FunctionResponse noContent() {
        return of(204, null);
    }

    /** An error status with {@code {"error": message}}. */
    public static FunctionResponse error(int status, String message) {
        return of(status, Map.of("error", message));
    }

    /** A copy with one more header. */
    public FunctionResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new FunctionResponse(status, more, body);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Object body() {
        return body;
    }
}
