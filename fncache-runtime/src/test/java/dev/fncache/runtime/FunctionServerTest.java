package dev.fncache.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.redis.RedisServerProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The runtime over real HTTP: response mapping, errors, limits, health and graceful shutdown. */
class FunctionServerTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<FunctionServer> servers = new ArrayList<>();

    record Greeting(String to, int times) {
    }

    @AfterEach
    void stopServers() {
        servers.forEach(FunctionServer::close);
    }

    private FunctionServer start(FunctionServerConfig builder) {
        FunctionServer server = builder.port(0).host("127.0.0.1").start();
        servers.add(server);
        return server;
    }

    private FunctionServerConfig builder() {
        return FunctionServer.builder().name("test-" + UUID.randomUUID().toString().substring(0, 8))
                .cacheUrl("memory:runtime-" + UUID.randomUUID());
    }

    private HttpResponse<String> get(FunctionServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(server, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(FunctionServer server, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(server, path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(FunctionServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void returnValuesBecomeResponses() throws Exception {
        FunctionServer server = start(builder()
                .handler("nothing", (context, request) -> null)
                .handler("text", (context, request) -> "plain words")
                .handler("json", (context, request) -> new Greeting("Alice", 2))
                .handler("explicit", (context, request) -> FunctionResponse.of(201, Map.of("created", true))
                        .withHeader("Location", "/things/1")));
        HttpResponse<String> nothing = get(server, "/nothing");
        assertThat(nothing.statusCode()).isEqualTo(204);
        assertThat(nothing.body()).isEmpty();
        HttpResponse<String> text = post(server, "/text", "");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(text.body()).isEqualTo("plain words");
        HttpResponse<String> json = get(server, "/json");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json.body()).isEqualTo("{\"to\":\"Alice\",\"times\":2}");
        HttpResponse<String> explicit = post(server, "/explicit", "{}");
        assertThat(explicit.statusCode()).isEqualTo(201);
        assertThat(explicit.headers().firstValue("Location")).hasValue("/things/1");
        assertThat(explicit.body()).isEqualTo("{\"created\":true}");
    }

    @Test
    void requestCarriesMethodPathHeadersQueryAndBody() throws Exception {
        FunctionServer server = start(builder().handler("echo", (context, request) -> Map.of(
                "method", request.method(), "path", request.path(), "who", request.queryParam("who"),
                "agent", request.header("X-AGENT"), "greeting", request.bodyAs(Greeting.class))));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(server, "/echo?who=bob"))
                .header("X-Agent", "tests").POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"Bob\",\"times\":1,\"extra\":true}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"method\":\"POST\"", "\"path\":\"/echo\"", "\"who\":\"bob\"",
                "\"agent\":\"tests\"", "\"greeting\":{\"to\":\"Bob\",\"times\":1}");
    }

    @Test
    void everyRequestSharesTheOneCacheOfTheServer() throws Exception {
        FunctionServer server = start(builder().handler("count",
                (context, request) -> Map.of("count", context.cache().increment("hits", 1, 60), "function", context.functionName())));
        for (int i = 1; i <= 3; i++) {
            assertThat(get(server, "/count").body()).contains("\"count\":" + i).contains(server.name());
        }
    }

    @Test
    void contextGivesRequestIdTimestampEnvironmentAndLogger() throws Exception {
        FunctionServer server = start(builder().environment(Map.of("GREETING", "hej"))
                .handler("context", (context, request) -> {
                    context.log().info("handling {}", context.requestId());
                    return Map.of("requestId", context.requestId(), "greeting", context.env("GREETING"),
                            "recent", Duration.between(context.timestamp(), java.time.Instant.now()).toSeconds() < 5);
                }));
        HttpResponse<String> given = http.send(HttpRequest.newBuilder(uri(server, "/context"))
                .header("X-Request-Id", "req-42").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(given.body()).contains("\"requestId\":\"req-42\"", "\"greeting\":\"hej\"", "\"recent\":true");
        assertThat(given.headers().firstValue("X-Request-Id")).hasValue("req-42");
        HttpResponse<String> generated = get(server, "/context");
        assertThat(generated.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).hasSize(36));
    }

    @Test
    void unknownRouteIsA404InJson() throws Exception {
        FunctionServer server = start(builder().handler("known", (context, request) -> "ok"));
        HttpResponse<String> response = get(server, "/unknown");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"error\":\"no function answers GET /unknown\",\"requestId\":\""
                + response.headers().firstValue("X-Request-Id").orElseThrow() + "\"}");
    }

    @Test
    void aHandlersOwn404IsKept() throws Exception {
        FunctionServer server = start(builder().handler("find", (context, request) -> FunctionResponse.error(404, "no such call")));
        HttpResponse<String> response = get(server, "/find");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\":\"no such call\"}");
    }

    private HttpResponse<String> send(FunctionServer server, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(server, path)).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyResponseCarriesARequestIdHealthUnknownRoutesAndRefusalsIncluded() throws Exception {
        FunctionServer server = start(builder().handler("greet", (context, request) -> "hej"));
        for (HttpResponse<String> response : List.of(get(server, "/health"), get(server, "/nowhere"),
                send(server, "PUT", "/greet"), get(server, "/greet"))) {
            assertThat(response.headers().firstValue("X-Request-Id")).as(response.uri() + " " + response.statusCode())
                    .hasValueSatisfying(id -> assertThat(id).hasSize(36));
        }
        HttpResponse<String> unknown = get(server, "/nowhere");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"requestId\":\"" + unknown.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void aKnownPathAskedWithAnotherMethodIs405WithTheMethodsItServes() throws Exception {
        FunctionServer server = start(builder().handler("greet", (context, request) -> "hej"));
        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            HttpResponse<String> refused = send(server, method, "/greet");
            assertThat(refused.statusCode()).as(method).isEqualTo(405);
            assertThat(refused.headers().firstValue("Allow")).hasValue("GET, POST");
            assertThat(refused.body()).contains(method + " /greet is not served; use GET, POST");
        }
        HttpResponse<String> postHealth = send(server, "POST", "/health");
        assertThat(postHealth.statusCode()).isEqualTo(405);
        assertThat(postHealth.headers().firstValue("Allow")).hasValue("GET");
        assertThat(send(server, "PUT", "/nowhere").statusCode()).isEqualTo(404);
    }

    /** A value Jackson cannot write: its getter throws. */
    public static final class Unwritable {
        public String getSecret() {
            throw new IllegalStateException("the getter of a result failed");
        }
    }

    @Test
    void aResultJacksonCannotWriteIsTheRuntimes500WithTheRequestId() throws Exception {
        FunctionServer server = start(builder().handler("odd", (context, request) -> new Unwritable()));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(server, "/odd"))
                .header("X-Request-Id", "req-odd").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("\"requestId\":\"req-odd\"").contains("cannot be written as JSON")
                .doesNotContain("getter");
    }

    @Test
    void fromEnvironmentReadsTheEnvironmentGivenAfterIt() throws Exception {
        String url = "memory:env-" + UUID.randomUUID();
        FunctionServer server = FunctionServer.builder().fromEnvironment().name("code-name")
                .environment(Map.of("FNCACHE_URL", url, "FUNCTION_NAME", "env-name", "PORT", "0"))
                .host("127.0.0.1").handler("who", (context, request) -> context.functionName())
                .start();
        servers.add(server);
        assertThat(get(server, "/who").body()).isEqualTo("env-name");
    }

    @Test
    void handlerExceptionIsA500WithTheRequestIdAndNoStackTrace() throws Exception {
        FunctionServer server = start(builder().handler("boom", (context, request) -> {
            throw new IllegalStateException("database password is hunter2");
        }));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(server, "/boom"))
                .header("X-Request-Id", "req-500").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("\"requestId\":\"req-500\"").contains("req-500")
                .doesNotContain("hunter2").doesNotContain("IllegalStateException").doesNotContain("at dev.");
    }

    /** Regression: an Error escaped the route, and Jetty answered 500 with an empty body and no request id. */
    @Test
    void aStackOverflowErrorInAHandlerIsA500JsonWithTheRequestIdLoggedOnceByTheFunction() throws Exception {
        FunctionServer server = start(builder().handler("deep", (context, request) -> recurse(0)));
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events = logOf(server);
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(server, "/deep"))
                    .header("X-Request-Id", "req-deep-" + i).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                    .startsWith("application/json"));
            assertThat(response.body()).contains("\"requestId\":\"req-deep-" + i + "\"").doesNotContain("StackOverflow");
        }
        assertThat(events.list).hasSize(20).allSatisfy(event -> {
            assertThat(event.getFormattedMessage()).contains("failed");
            assertThat(event.getThrowableProxy().getClassName()).isEqualTo(StackOverflowError.class.getName());
        });
        assertThat(get(server, "/health").statusCode()).as("the server still serves").isEqualTo(200);
    }

    /** What the function's logger writes from now on. */
    private static ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logOf(FunctionServer server) {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                "fncache.function." + server.name());
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
                new ch.qos.logback.core.read.ListAppender<>();
        events.start();
        logger.addAppender(events);
        return events;
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @Test
    void aRefusedRequestIsLoggedAsOneLineWithoutAStackTrace() throws Exception {
        FunctionServer server = start(builder().handler("greet", (context, request) -> request.bodyAs(Greeting.class)));
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events = logOf(server);
        assertThat(post(server, "/greet", "{not json").statusCode()).isEqualTo(400);
        assertThat(events.list).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage()).contains("refused").doesNotContain("\n");
            assertThat(event.getThrowableProxy()).as("no stack trace").isNull();
        });
    }

    @Test
    void malformedJsonBodyIsA400NamingTheProblem() throws Exception {
        FunctionServer server = start(builder().handler("greet", (context, request) -> request.bodyAs(Greeting.class)));
        HttpResponse<String> broken = post(server, "/greet", "{\"to\": ");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.body()).contains("not a valid JSON Greeting").contains("requestId");
        HttpResponse<String> empty = post(server, "/greet", "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("it was empty");
    }

    @Test
    void bodyOverOneMebibyteIsA413() throws Exception {
        FunctionServer server = start(builder().handler("upload", (context, request) -> request.body().length));
        byte[] exactly = new byte[FunctionServer.MAX_BODY_BYTES];
        HttpResponse<String> fits = http.send(HttpRequest.newBuilder(uri(server, "/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(exactly)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fits.statusCode()).isEqualTo(200);
        assertThat(fits.body()).isEqualTo(Integer.toString(FunctionServer.MAX_BODY_BYTES));
        HttpResponse<String> declared = http.send(HttpRequest.newBuilder(uri(server, "/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[FunctionServer.MAX_BODY_BYTES + 1])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).contains("at most 1048576 bytes");
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri(server, "/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[FunctionServer.MAX_BODY_BYTES + 10])))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
    }

    /** Regression: a wrong password read "cannot connect (Unable to connect to 127.0.0.1/<unresolved>:PORT)" at start. */
    @Tag("real-process")
    @Test
    void aWrongRedisPasswordAtStartSaysAuthenticationFailedWithTheServersReasonAndNoPassword() {
        try (RedisServerProcess redis = RedisServerProcess.start("--requirepass", "right-password-1")) {
            String url = "redis://default:wrong-password-2@127.0.0.1:" + redis.port();
            assertThatThrownBy(() -> start(builder().cacheUrl(url).handler("x", (c, r) -> "x")))
                    .isInstanceOf(dev.fncache.CacheUnavailableException.class)
                    .hasMessageContaining("authentication failed: the server answered 'WRONGPASS")
                    .hasMessageNotContaining("wrong-password-2").hasMessageNotContaining("right-password-1");
        }
    }

    @Tag("real-process")
    @Test
    void healthAndReadinessAre200WhileTheCacheAnswersAnd503WhenItDoesNotWhileLivenessStays200() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            FunctionServer server = start(builder().cacheUrl(redis.url() + "?timeout=500ms").handler("x", (c, r) -> "x"));
            HttpResponse<String> healthy = get(server, "/health");
            assertThat(healthy.statusCode()).isEqualTo(200);
            assertThat(healthy.body()).contains("\"status\":\"ok\"");
            assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);
            redis.kill();
            HttpResponse<String> down = get(server, "/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("{\"status\":\"unavailable\"}");
            assertThat(get(server, "/health/ready").statusCode()).as("not ready while the cache is down").isEqualTo(503);
            HttpResponse<String> live = get(server, "/health/live");
            assertThat(live.statusCode()).as("alive: a liveness probe must not restart the instance").isEqualTo(200);
            assertThat(live.body()).isEqualTo("{\"status\":\"live\"}");
            redis.restart();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            int status = 503;
            while (status != 200 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                status = get(server, "/health").statusCode();
            }
            assertThat(status).as("healthy again once Redis is back").isEqualTo(200);
        }
    }

    @Test
    void closeLetsInFlightRequestsFinishThenStopsAndClosesTheCache() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        FunctionServer server = builder().port(0).host("127.0.0.1").handler("slow", (context, request) -> {
            started.countDown();
            Thread.sleep(500);
            return "finished";
        }).start();
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                HttpRequest.newBuilder(uri(server, "/slow")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        long closing = System.nanoTime();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - closing)).isGreaterThan(Duration.ofMillis(300));
        HttpResponse<String> finished = inFlight.get(5, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).isEqualTo("finished");
        assertThatThrownBy(() -> get(server, "/slow")).isInstanceOf(IOException.class);
        server.close();
    }

    @Test
    void builderRejectsWhatCannotWork() {
        assertThatThrownBy(() -> FunctionServer.builder().handler("/ice", (c, r) -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without a leading slash");
        assertThatThrownBy(() -> FunctionServer.builder().handler("health", (c, r) -> null))
                .hasMessageContaining("is the runtime's own");
        assertThatThrownBy(() -> FunctionServer.builder().handler("ice", (c, r) -> null).handler("ice", (c, r) -> null))
                .hasMessageContaining("already has a handler");
        assertThatThrownBy(() -> FunctionServer.builder().port(70_000)).hasMessageContaining("between 0 and 65535, but was 70000");
        assertThatThrownBy(() -> FunctionServer.builder().handler("ice", (c, r) -> null).start())
                .hasMessageContaining("FUNCTION_NAME");
        assertThatThrownBy(() -> FunctionServer.builder().name("fn").start()).hasMessageContaining("at least one handler");
        assertThatThrownBy(() -> FunctionServer.builder().fromEnvironment().environment(Map.of("PORT", "eighty"))
                .name("fn").handler("x", (c, r) -> null).start())
                .hasMessageContaining("PORT must be a number");
        assertThatThrownBy(() -> FunctionServer.builder().name("bad name").handler("x", (c, r) -> null).port(0).start())
                .hasMessageContaining("namespace must be 1 to 64");
    }

    @Test
    void environmentSetsCacheUrlNameAndPort() throws Exception {
        String url = "memory:env-" + UUID.randomUUID();
        FunctionServer server = FunctionServer.builder().name("code-name")
                .environment(Map.of("FNCACHE_URL", url, "FUNCTION_NAME", "env-name", "PORT", "0"))
                .fromEnvironment().host("127.0.0.1").handler("who", (context, request) -> context.functionName())
                .start();
        servers.add(server);
        assertThat(get(server, "/who").body()).isEqualTo("env-name");
        try (var cache = dev.fncache.FunctionCaches.open(url, "env-name")) {
            assertThat(cache.keys()).isEmpty();
        }
    }
}
