package dev.fncache.runtime;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;

/** Every request's id: the caller's {@code X-Request-Id} when it is sane, else a new one; echoed on every response. */
final class RequestIds {
    /** The MDC entry that carries the request id on every log line written while a route runs. */
    static final String MDC_ENTRY = "requestId";
    private static final String ATTRIBUTE = "fncache.requestId";
    private static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /** Runs before every route, the unknown ones included. */
    static void assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        if (id == null) {
            assign(ctx);
            id = ctx.attribute(ATTRIBUTE);
        }
        return id;
    }
}
