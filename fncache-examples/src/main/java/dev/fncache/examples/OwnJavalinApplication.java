package dev.fncache.examples;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.micrometer.FunctionCacheMetrics;
import dev.fncache.runtime.HealthPlugin;
import dev.fncache.runtime.HttpMetricsPlugin;
import dev.fncache.runtime.PrometheusPlugin;
import dev.fncache.runtime.RequestIdPlugin;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The runtime's plugins in a Javalin application of one's own (docs/operations.md). */
public final class OwnJavalinApplication {
    private OwnJavalinApplication() {
    }

    /** Starts the application on loopback, {@code port} (0: any free port) with a cache at {@code url}. */
    public static Javalin start(String url, int port) {
        // README: own Javalin application
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FunctionCache cache = FunctionCaches.builder().url(url).namespace("orders")
                .stats(FunctionCacheMetrics.recorder(registry)).build();
        Javalin app = Javalin.create(config -> {
            config.registerPlugin(new RequestIdPlugin());                    // X-Request-Id on every response
            config.registerPlugin(new HttpMetricsPlugin(registry));          // http.server.requests, uri = matched path
            config.registerPlugin(new HealthPlugin("orders", cache, () -> false)); // GET /health
            config.registerPlugin(new PrometheusPlugin(registry));           // GET /metrics
            config.routes.get("/orders/{id}", ctx -> ctx.result(cache.getOrSet("order:" + ctx.pathParam("id"),
                    String.class, 300, () -> "order " + ctx.pathParam("id"))));
        });
        // README: end
        return app.start("127.0.0.1", port);
    }
}
