package dev.fncache.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fncache.CacheJson;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/** How results and errors become HTTP responses: JSON unless the handler chose bytes or text. */
final class Responses {
    private Responses() {
    }

    /** {@code {"error": message, "requestId": ...}} with {@code status}. */
    static void error(Context ctx, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("requestId", RequestIds.of(ctx));
        json(ctx, status, body);
    }

    static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(CacheJson.writer().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the runtime's own " + body.getClass().getName()
                    + " cannot be written as JSON", e);
        }
    }

    /** A handler's result; one Jackson cannot write is the runtime's 500, logged with its cause. */
    static void result(Context ctx, Object result, Logger log) {
        FunctionResponse response = result instanceof FunctionResponse explicit ? explicit
                : result == null ? FunctionResponse.noContent() : FunctionResponse.ok(result);
        Object body = response.body();
        boolean typed = response.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
        byte[] bytes;
        String contentType;
        if (body == null) {
            bytes = null;
            contentType = null;
        } else if (body instanceof byte[] raw) {
            bytes = raw;
            contentType = "application/octet-stream";
        } else if (body instanceof String text) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
            contentType = "text/plain; charset=utf-8";
        } else {
            try {
                bytes = CacheJson.writer().writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                log.error("request {} to {} {}: the handler's result, a {}, cannot be written as JSON", RequestIds.of(ctx),
                        ctx.method(), ctx.path(), body.getClass().getName(), e);
                error(ctx, 500, "the function's result cannot be written as JSON; the server log has the details of request "
                        + RequestIds.of(ctx));
                return;
            }
            contentType = "application/json";
        }
        response.headers().forEach(ctx::header);
        ctx.status(response.status());
        if (bytes != null) {
            if (!typed) {
                ctx.contentType(contentType);
            }
            ctx.result(bytes);
        }
    }
}
