package dev.fncache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.micrometer.FunctionCacheMetrics;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** fncache's plugins mounted one by one in a Javalin application of the user's own, next to its routes. */
class PluginsInAnotherApplicationTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthMetricsRequestIdsAndTheConsoleServeBesideTheApplicationsOwnRoutes() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String url = "memory:plugins-" + UUID.randomUUID();
        try (FunctionCache cache = FunctionCaches.builder().url(url).namespace("orders")
                .stats(FunctionCacheMetrics.recorder(registry)).build()) {
            Javalin app = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.jetty.host = "127.0.0.1";
                config.jetty.port = 0;
                config.registerPlugin(new RequestIdPlugin());
                config.registerPlugin(new HttpMetricsPlugin(registry));
                config.registerPlugin(new HealthPlugin("orders", cache, () -> false));
                config.registerPlugin(new PrometheusPlugin(registry));
                config.registerPlugin(new ConsolePlugin("a-long-console-token-1234", "orders", cache, url, registry,
                        Clock.systemUTC()));
                config.routes.get("/orders/{id}", ctx -> ctx.result("order " + ctx.pathParam("id")));
            }).start();
            try {
                HttpResponse<String> order = get(app, "/orders/7", "order-request-1");
                assertThat(order.body()).isEqualTo("order 7");
                assertThat(order.headers().firstValue("X-Request-Id")).hasValue("order-request-1");

                HttpResponse<String> health = get(app, "/health", null);
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"function\":\"orders\"", "\"status\":\"ok\"");

                assertThat(get(app, "/_console/api/info", null).statusCode()).isEqualTo(401);
                assertThat(get(app, "/health", null).headers().firstValue("X-Request-Id")).isPresent();

                String metrics = get(app, "/metrics", null).body();
                assertThat(metrics).contains("uri=\"/orders/{id}\"", "uri=\"/health\"", "uri=\"/_console/api/info\"")
                        .contains("fncache_operation_seconds_count{backend=\"memory\",cache=\"orders\",operation=\"has\"")
                        .doesNotContain("uri=\"/orders/7\"");
            } finally {
                app.stop();
                registry.close();
            }
        }
    }

    private HttpResponse<String> get(Javalin app, String path, String requestId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
