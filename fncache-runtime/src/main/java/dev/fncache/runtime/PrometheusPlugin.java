package dev.fncache.runtime;

import io.javalin.config.JavalinState;
import io.javalin.plugin.Plugin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /metrics}: the registry's meters in Prometheus text format (other methods 405).
 * Mount it with {@code config.registerPlugin(new PrometheusPlugin(registry))}.
 */
public final class PrometheusPlugin extends Plugin<Void> {
    static final String PATH = "/metrics";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public PrometheusPlugin(PrometheusMeterRegistry registry) {
        if (registry == null) {
            throw new IllegalArgumentException("registry must not be null");
        }
        this.registry = registry;
    }

    @Override
    public void onInitialize(JavalinState state) {
        state.routes.get(PATH, ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()));
        MethodRefusal.refuseOthers(state.routes, PATH, "GET");
    }
}
