package dev.fncache.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.CacheStatsRecorder;
import dev.fncache.FunctionCache;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** {@code fncache.console.*} and {@code fncache.metrics.*} in a real Boot application. */
class ConsoleAndMetricsPropertiesTest {
    private static final String TOKEN = "a-long-console-token-" + UUID.randomUUID();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void withATokenTheConsoleServesTheNamespaceOnItsOwnLoopbackPort() throws Exception {
        try (ConfigurableApplicationContext context = CustomerApp.start("memory:console-" + UUID.randomUUID(),
                "console-app", "fncache.console.token=" + TOKEN, "fncache.console.port=0")) {
            context.getBean(FunctionCache.class).set("greeting", "hello");
            int port = context.getBean(FncacheConsole.class).port();

            HttpResponse<String> anonymous = get(port, "/_console/api/info", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            HttpResponse<String> wrongToken = get(port, "/_console?token=not-the-token", null);
            assertThat(wrongToken.statusCode()).isEqualTo(401);

            HttpResponse<String> login = get(port, "/_console?token=" + TOKEN, null);
            assertThat(login.statusCode()).isEqualTo(303);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            HttpResponse<String> info = get(port, "/_console/api/info", cookie);
            assertThat(info.statusCode()).isEqualTo(200);
            assertThat(info.body()).contains("\"namespace\":\"console-app\"");
            assertThat(get(port, "/_console/api/keys?pattern=*", cookie).body()).contains("greeting");
        }
    }

    @Test
    void withoutATokenThereIsNoConsole() {
        try (ConfigurableApplicationContext context = CustomerApp.start("memory:", "no-console")) {
            assertThat(context.getBeansOfType(FncacheConsole.class)).isEmpty();
        }
    }

    @Test
    void metricsEnabledFalseKeepsTheCachesMetersOutOfTheRegistry() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CustomerApp.class,
                MemorySpringCacheTest.WithMeters.class).web(WebApplicationType.NONE)
                .properties("fncache.url=memory:", "fncache.namespace=unmetered", "fncache.metrics.enabled=false").run()) {
            context.getBean(CustomerApp.Customers.class).find("1");
            assertThat(context.getBeansOfType(CacheStatsRecorder.Factory.class)).isEmpty();
            assertThat(context.getBean(SimpleMeterRegistry.class).find("cache.gets").meters()).isEmpty();
        }
    }

    private HttpResponse<String> get(int port, String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
