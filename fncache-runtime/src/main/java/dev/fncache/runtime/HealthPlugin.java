package dev.fncache.runtime;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /health}: 200 while the cache answers, 503 while it does not or the server is
 * stopping. Anyone may ask, so a failure says only "unavailable"; what failed goes to the log,
 * once per outage.
 */
final class HealthCheck implements Handler {
    private static final String PROBE_KEY = "fncache:health-probe";

    private final HostedFunction function;
    private final AtomicBoolean stopping;
    private final AtomicBoolean healthy = new AtomicBoolean(true);

    HealthCheck(HostedFunction function, AtomicBoolean stopping) {
        this.function = function;
        this.stopping = stopping;
    }

    @Override
    public void handle(Context ctx) {
        try {
            function.cache().has(PROBE_KEY);
        } catch (RuntimeException e) {
            if (healthy.getAndSet(false)) {
                function.log().error("health: the cache is unavailable: {}", e.getMessage());
            }
            Responses.json(ctx, 503, Map.of("status", "unavailable"));
            return;
        }
        if (!healthy.getAndSet(true)) {
            function.log().info("health: the cache answers again");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("function", function.name());
        body.put("status", stopping.get() ? "stopping" : "ok");
        Responses.json(ctx, stopping.get() ? 503 : 200, body);
    }
}
