package dev.fncache.runtime;

import dev.fncache.FunctionCache;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.plugin.Plugin;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health probes, each {@code GET} only (other methods 405):
 * <ul>
 *   <li>{@code /health/live}: 200 while the process serves HTTP, whatever the cache does, so a
 *       liveness probe never restarts every instance during a store outage;</li>
 *   <li>{@code /health/ready}: 200 while the cache answers and the application is not stopping,
 *       503 otherwise, so a load balancer sends traffic only where it can be served;</li>
 *   <li>{@code /health}: as {@code /health/ready}, with the function's name.</li>
 * </ul>
 * Anyone may ask, so a failure says only "unavailable"; what failed goes to the log, once per
 * outage. Give it a cache without statistics (as {@link FunctionServer} does) and the probes do
 * not count as the function's operations. Mount it with
 * {@code config.registerPlugin(new HealthPlugin("voice-demo", cache, () -> false))}.
 */
public final class HealthPlugin extends Plugin<Void> {
    static final String PATH = "/health";
    static final String LIVE = "/health/live";
    static final String READY = "/health/ready";
    private static final String PROBE_KEY = "fncache:health-probe";

    private final String name;
    private final FunctionCache cache;
    private final BooleanSupplier stopping;
    private final Logger log;
    private final AtomicBoolean healthy = new AtomicBoolean(true);

    /** Answers for the function {@code name} whose cache is {@code cache}; {@code stopping} says when to answer 503. */
    public HealthPlugin(String name, FunctionCache cache, BooleanSupplier stopping) {
        if (name == null || cache == null || stopping == null) {
            throw new IllegalArgumentException("name, cache and stopping must not be null");
        }
        this.name = name;
        this.cache = cache;
        this.stopping = stopping;
        this.log = LoggerFactory.getLogger("fncache.function." + name);
    }

    @Override
    public void onInitialize(JavalinState state) {
        state.routes.get(PATH, ctx -> answer(ctx, true));
        state.routes.get(READY, ctx -> answer(ctx, false));
        state.routes.get(LIVE, ctx -> Responses.json(ctx, 200, Map.of("status", "live")));
        for (String path : new String[] {PATH, READY, LIVE}) {
            MethodRefusal.refuseOthers(state.routes, path, "GET");
        }
    }

    private void answer(Context ctx, boolean withName) {
        try {
            cache.has(PROBE_KEY);
        } catch (RuntimeException e) {
            if (healthy.getAndSet(false)) {
                log.error("health: the cache is unavailable: {}", e.getMessage());
            }
            Responses.json(ctx, 503, Map.of("status", "unavailable"));
            return;
        }
        if (!healthy.getAndSet(true)) {
            log.info("health: the cache answers again");
        }
        boolean stops = stopping.getAsBoolean();
        Map<String, Object> body = new LinkedHashMap<>();
        if (withName) {
            body.put("function", name);
        }
        body.put("status", stops ? "stopping" : "ok");
        Responses.json(ctx, stops ? 503 : 200, body);
    }
}
