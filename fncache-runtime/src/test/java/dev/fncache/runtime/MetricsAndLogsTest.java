package dev.fncache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code GET /metrics} after known traffic, and the request id on a function's log lines. */
class MetricsAndLogsTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String name = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
    private FunctionServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private FunctionServer start() {
        server = FunctionServer.builder().name(name).cacheUrl("memory:metrics-" + UUID.randomUUID())
                .host("127.0.0.1").port(0)
                .handler("store", (context, request) -> {
                    context.cache().set(request.queryParam("key"), "value", 60);
                    return Map.of("stored", true);
                })
                .handler("lookup", (context, request) -> {
                    context.log().info("looking up {}", request.queryParam("key"));
                    return Map.of("found", context.cache().get(request.queryParam("key"), String.class) != null);
                })
                .handler("fail", (context, request) -> {
                    throw new IllegalStateException("broken on purpose");
                })
                .start();
        return server;
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsShowTheExactHitsMissesWritesAndRequestsOfKnownTraffic() throws Exception {
        start();
        get("/store?key=x");
        for (int i = 0; i < 3; i++) {
            assertThat(get("/lookup?key=x").body()).isEqualTo("{\"found\":true}");
        }
        for (int i = 0; i < 2; i++) {
            assertThat(get("/lookup?key=y").body()).isEqualTo("{\"found\":false}");
        }
        assertThat(get("/no/such/route").statusCode()).isEqualTo(404);
        assertThat(get("/another-scan").statusCode()).isEqualTo(404);
        assertThat(get("/fail").statusCode()).isEqualTo(500);

        HttpResponse<String> scrape = get("/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String text = scrape.body();
        String cache = "cache=\"" + name + "\"";
        assertThat(sample(text, "cache_gets_total", cache, "backend=\"memory\"", "result=\"hit\"")).isEqualTo(3);
        assertThat(sample(text, "cache_gets_total", cache, "result=\"miss\"")).isEqualTo(2);
        assertThat(sample(text, "cache_puts_total", cache)).isEqualTo(1);
        assertThat(sample(text, "fncache_operation_seconds_count", cache, "operation=\"get\"", "outcome=\"ok\"")).isEqualTo(5);
        assertThat(sample(text, "http_server_requests_seconds_count", "uri=\"/lookup\"", "status=\"200\"",
                "outcome=\"SUCCESS\"", "method=\"GET\"")).isEqualTo(5);
        assertThat(sample(text, "http_server_requests_seconds_count", "uri=\"NOT_FOUND\"", "status=\"404\"")).isEqualTo(2);
        assertThat(sample(text, "http_server_requests_seconds_count", "uri=\"/fail\"", "status=\"500\"",
                "outcome=\"SERVER_ERROR\"")).isEqualTo(1);
        assertThat(text).as("JVM basics").contains("jvm_memory_used_bytes{", "jvm_threads_live_threads", "process_uptime_seconds");
        assertThat(text).doesNotContain("no/such/route", "another-scan");
    }

    @Test
    void healthProbesDoNotCountAsTheFunctionsCacheOperations() throws Exception {
        start();
        get("/lookup?key=x");
        for (String probe : List.of("/health", "/health/ready", "/health/live", "/health/ready")) {
            assertThat(get(probe).statusCode()).as(probe).isEqualTo(200);
        }
        String text = get("/metrics").body();
        assertThat(sample(text, "fncache_operation_seconds_count", name, "operation=\"get\"", "outcome=\"ok\"")).isEqualTo(1);
        assertThat(text.lines().filter(line -> line.startsWith("fncache_operation_seconds_count{")
                && line.contains("operation=\"has\""))).as("no has() series: the probes are not the function's").isEmpty();
        assertThat(sample(text, "http_server_requests_seconds_count", "uri=\"/health/ready\"")).isEqualTo(2);
    }

    @Test
    void aRouteUnderAReservedPathIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FunctionServer.builder().handler("health/live",
                (context, request) -> null)).hasMessage("route 'health/live' is the runtime's own; use another name");
    }

    /** Regression: every made-up HTTP method added a series (30,000 requests gave 33,104 series and a 12.6 MB scrape). */
    @Test
    void madeUpHttpMethodsShareTheOtherSeriesWhateverTheirNames() throws Exception {
        start();
        for (int i = 0; i < 40; i++) {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                    .method("Z" + i + "Q", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        }
        String text = get("/metrics").body();
        List<String> series = text.lines().filter(line -> line.startsWith("http_server_requests_seconds_count{")).toList();
        assertThat(series).allSatisfy(line -> assertThat(line).containsPattern(
                "method=\"(GET|HEAD|POST|PUT|DELETE|CONNECT|OPTIONS|TRACE|PATCH|OTHER)\""));
        assertThat(series.stream().filter(line -> line.contains("method=\"OTHER\"")).mapToDouble(
                line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum()).isEqualTo(40);
        assertThat(text).doesNotContain("Z1Q", "Z39Q");
    }

    /** Regression: HELP said "Reads of a value that found none" for hits too, and "threw or returned null" for successful loads. */
    @Test
    void eachCacheMeterNameHasOneDescriptionThatFitsEveryResult() throws Exception {
        start();
        get("/lookup?key=x");
        String text = get("/metrics").body();
        assertThat(text.lines().filter(line -> line.startsWith("# HELP cache_gets_total "))).containsExactly(
                "# HELP cache_gets_total Reads of a value, by result: hit (found) or miss (absent)");
        assertThat(text.lines().filter(line -> line.startsWith("# HELP cache_load_seconds "))).containsExactly(
                "# HELP cache_load_seconds getOrSet loader calls, by result: success (returned a value) or failure "
                        + "(threw or returned null)");
    }

    @Test
    void aFunctionsLogLinesCarryTheRequestIdInTheMdc() throws Exception {
        start();
        ListAppender<ILoggingEvent> function = capture("fncache.function." + name);
        HttpResponse<String> lookup = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/lookup?key=k")).header("X-Request-Id", "req-42").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(lookup.headers().firstValue("X-Request-Id")).hasValue("req-42");
        HttpResponse<String> failed = get("/fail");
        String failedId = failed.headers().firstValue("X-Request-Id").orElseThrow();

        assertThat(function.list).anySatisfy(event -> {
            assertThat(event.getFormattedMessage()).isEqualTo("looking up k");
            assertThat(event.getMDCPropertyMap()).containsEntry("requestId", "req-42");
        });
        assertThat(function.list).anySatisfy(event -> {
            assertThat(event.getFormattedMessage()).contains("failed");
            assertThat(event.getMDCPropertyMap()).containsEntry("requestId", failedId);
        });
        get("/metrics");
        assertThat(org.slf4j.MDC.get("requestId")).as("nothing left on the test thread").isNull();
    }

    private static ListAppender<ILoggingEvent> capture(String loggerName) {
        Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    /** The value of the one sample of {@code metric} whose labels include every one given. */
    private static double sample(String exposition, String metric, String... labels) {
        List<String> lines = exposition.lines()
                .filter(line -> line.startsWith(metric + "{"))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .toList();
        assertThat(lines).as("samples of %s with %s", metric, List.of(labels)).hasSize(1);
        String line = lines.get(0);
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
