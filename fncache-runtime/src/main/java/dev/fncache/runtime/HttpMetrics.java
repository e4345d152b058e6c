package dev.fncache.runtime;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer's {@code http.server.requests} timer: one sample per request, tagged with its
 * method (the standard HTTP methods, any other {@code OTHER}), route ({@code uri}; every unknown
 * path is {@code NOT_FOUND}), status and outcome, as Micrometer's own HTTP binders tag them. Every
 * tag takes a bounded set of values, so no client can make a series per request.
 */
final class HttpMetrics {
    private static final String STARTED = "fncache.startedNanos";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");

    private final MeterRegistry registry;
    private final Set<String> routes;

    HttpMetrics(MeterRegistry registry, Set<String> routes) {
        this.registry = registry;
        this.routes = Set.copyOf(routes);
    }

    /** Runs before every request. */
    void start(Context ctx) {
        ctx.attribute(STARTED, System.nanoTime());
    }

    /** Runs after every request, the refused and unknown ones included. */
    void record(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        int status = ctx.statusCode();
        Timer.builder("http.server.requests")
                .description("HTTP requests answered by the function server")
                .tag("method", METHODS.contains(ctx.req().getMethod()) ? ctx.req().getMethod() : "OTHER")
                .tag("uri", routes.contains(ctx.path()) ? ctx.path() : "NOT_FOUND")
                .tag("status", status >= 100 && status <= 599 ? Integer.toString(status) : "OTHER")
                .tag("outcome", outcome(status))
                .tag("exception", "none")
                .register(registry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private static String outcome(int status) {
        if (status >= 500) {
            return "SERVER_ERROR";
        }
        if (status >= 400) {
            return "CLIENT_ERROR";
        }
        if (status >= 300) {
            return "REDIRECTION";
        }
        return status >= 200 ? "SUCCESS" : "INFORMATIONAL";
    }
}
