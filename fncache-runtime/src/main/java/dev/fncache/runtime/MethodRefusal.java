package dev.fncache.runtime;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;

/** A known path asked with a method it does not serve: 405 with the methods it does. */
final class MethodRefusal {
    private MethodRefusal() {
    }

    /** Answers POST (unless allowed), PUT, PATCH and DELETE of {@code path} with 405 and {@code Allow: allowed}. */
    static void refuseOthers(RoutesConfig routes, String path, String allowed) {
        Handler refuse = ctx -> {
            ctx.header("Allow", allowed);
            Responses.error(ctx, 405, ctx.method() + " " + ctx.path() + " is not served; use " + allowed);
        };
        if (!allowed.contains("POST")) {
            routes.post(path, refuse);
        }
        routes.put(path, refuse);
        routes.patch(path, refuse);
        routes.delete(path, refuse);
    }
}
