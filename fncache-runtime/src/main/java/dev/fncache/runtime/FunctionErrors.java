package dev.fncache.runtime;

import dev.fncache.CacheUnavailableException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.MDC;

/**
 * How the server answers what its routes throw, registered once for every route: a
 * {@link BadRequestException} is 400 with its message; a {@link CacheUnavailableException} 503
 * and any other exception 500, each saying only that the log has the details of the request,
 * since a failure's message may hold what the caller must not see. A request no endpoint
 * matched is 404.
 */
final class FunctionErrors {
    private FunctionErrors() {
    }

    static void register(RoutesConfig routes, HostedFunction function) {
        routes.exception(BadRequestException.class, (e, ctx) -> {
            withRequestId(ctx, id -> function.log().info("request {} to {} {} refused: {}", id, ctx.method(), ctx.path(),
                    e.getMessage()));
            Responses.error(ctx, 400, e.getMessage());
        });
        routes.exception(CacheUnavailableException.class, (e, ctx) -> {
            String id = withRequestId(ctx, requestId -> function.log().error("request {} to {} {}: the cache is "
                    + "unavailable: {}", requestId, ctx.method(), ctx.path(), e.getMessage()));
            Responses.error(ctx, 503, "the cache is unavailable; the server log has the details of request " + id);
        });
        routes.exception(Exception.class, (e, ctx) -> {
            String id = withRequestId(ctx, requestId -> function.log().error("request {} to {} {} failed", requestId,
                    ctx.method(), ctx.path(), e));
            Responses.error(ctx, 500, "the function failed; the server log has the details of request " + id);
        });
        routes.error(404, "*", ctx -> {
            if (ctx.endpoints().matchedHttpEndpoint() == null) {
                Responses.error(ctx, 404, "no function answers " + ctx.method() + " " + ctx.path());
            }
        });
    }

    /** Logs with the request's id in the MDC, as the route's own lines are; returns the id. */
    static String withRequestId(Context ctx, java.util.function.Consumer<String> logLine) {
        String id = RequestIds.of(ctx);
        String outer = MDC.get(RequestIds.MDC_ENTRY);
        MDC.put(RequestIds.MDC_ENTRY, id);
        try {
            logLine.accept(id);
        } finally {
            if (outer == null) {
                MDC.remove(RequestIds.MDC_ENTRY);
            } else {
                MDC.put(RequestIds.MDC_ENTRY, outer);
            }
        }
        return id;
    }
}
