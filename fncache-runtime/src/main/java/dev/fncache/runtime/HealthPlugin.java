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
 * {@code GET /health}: 200 while the cache answers, 503 while it does not or the application is
 * stopping (other methods 405). Anyone may ask, so a failure says only "unavailable"; what failed
 * goes to the log, once per outage. Mount it with
 * {@code config.registerPlugin(new HealthPlugin("voice-demo", cache, () -> false))}.
 */
public final class HealthPlugin extends Plugin<Void> {
    static final String PATH = "/health";
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
        state.routes.get(PATH, this::answer);
        MethodRefusal.refuseOthers(state.routes, PATH, "GET");
    }

    private void answer(Context ctx) {
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
        body.put("function", name);
        body.put("status", stops ? "stopping" : "ok");
        Responses.json(ctx, stops ? 503 : 200, body);
    }
}
