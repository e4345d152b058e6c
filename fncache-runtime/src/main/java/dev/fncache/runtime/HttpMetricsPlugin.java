package dev.fncache.runtime;

import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.plugin.Plugin;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer's {@code http.server.requests} timer: one sample per request, tagged with its
 * method (the standard HTTP methods, any other {@code OTHER}), the path of the endpoint Javalin
 * matched ({@code uri}; a request no endpoint matched is {@code NOT_FOUND}), status and outcome,
 * as Micrometer's own HTTP binders tag them. Every tag takes a bounded set of values, so no
 * client can make a series per request. Mount it with
 * {@code config.registerPlugin(new HttpMetricsPlugin(registry))}.
 */
public final class HttpMetricsPlugin extends Plugin<Void> {
    private static final String STARTED = "fncache.startedNanos";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");

    private final MeterRegistry registry;

    public HttpMetricsPlugin(MeterRegistry registry) {
        if (registry == null) {
            throw new IllegalArgumentException("registry must not be null");
        }
        this.registry = registry;
    }

    @Override
    public void onInitialize(JavalinState state) {
        state.routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        state.routes.after(this::record);
    }

    private void record(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        int status = ctx.statusCode();
        Timer.builder("http.server.requests")
                .description("HTTP requests answered by the function server")
                .tag("method", METHODS.contains(ctx.req().getMethod()) ? ctx.req().getMethod() : "OTHER")
                .tag("uri", matched == null ? "NOT_FOUND" : matched.path)
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
