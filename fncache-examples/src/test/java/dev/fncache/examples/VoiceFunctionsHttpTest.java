package dev.fncache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.runtime.FunctionServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The example functions over real HTTP, with the memory and the SQLite backend. */
class VoiceFunctionsHttpTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<FunctionServer> servers = new ArrayList<>();

    static Stream<String> cacheUrls() throws Exception {
        Path directory = Files.createTempDirectory("voice-http");
        return Stream.of("memory:voice-" + UUID.randomUUID(), "sqlite:" + directory.resolve("cache.db"));
    }

    @AfterEach
    void stop() {
        servers.forEach(FunctionServer::close);
    }

    private FunctionServer start(String cacheUrl) {
        VoiceFunctions functions = new VoiceFunctions(Clock.systemUTC(), VoiceFunctions::slowDirectory);
        FunctionServer server = FunctionServer.builder().name("voice-test").cacheUrl(cacheUrl).host("127.0.0.1").port(0)
                .handler("ice", functions::ice).handler("pie", functions::pie)
                .handler("sms", functions::sms).handler("customer", functions::customer)
                .start();
        servers.add(server);
        return server;
    }

    static HttpResponse<String> post(HttpClient http, int port, String route, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + route))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStandInDirectoryGoesDownAndUpAndRefusesABodyWithoutUp() throws Exception {
        StandInDirectory directory = new StandInDirectory();
        VoiceFunctions functions = new VoiceFunctions(Clock.systemUTC(), directory::lookUp);
        FunctionServer server = FunctionServer.builder().name("directory-test").cacheUrl("memory:directory-test")
                .host("127.0.0.1").port(0).handler("customer", functions::customer).handler("directory", directory::handle)
                .start();
        servers.add(server);
        HttpResponse<String> missing = post(http, server.port(), "directory", "{}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("up must be true or false");
        assertThat(get(server.port(), "/directory").body()).isEqualTo("{\"up\":true}");
        assertThat(post(http, server.port(), "directory", "{\"up\":false}").body()).isEqualTo("{\"up\":false}");
        assertThat(get(server.port(), "/customer?phone=%2B46701234567").statusCode()).as("down, nothing cached").isEqualTo(500);
        assertThat(post(http, server.port(), "directory", "{\"up\":true}").body()).isEqualTo("{\"up\":true}");
        assertThat(get(server.port(), "/customer?phone=%2B46701234567").headers().firstValue("X-Cache")).hasValue("MISS");
    }

    @ParameterizedTest
    @MethodSource("cacheUrls")
    void sessionStoredByIceIsReadByPie(String cacheUrl) throws Exception {
        FunctionServer server = start(cacheUrl);
        HttpResponse<String> ice = post(http, server.port(), "ice", "{\"callid\":\"CA1\",\"cli\":\"+46701234567\"}");
        assertThat(ice.statusCode()).isEqualTo(200);
        assertThat(ice.body()).contains("\"stored\":\"session:CA1\"", "\"ttlSeconds\":600");
        Thread.sleep(50);
        HttpResponse<String> pie = post(http, server.port(), "pie", "{\"callid\":\"CA1\"}");
        assertThat(pie.statusCode()).isEqualTo(200);
        assertThat(pie.body()).contains("\"callerNumber\":\"+46701234567\"", "\"callid\":\"CA1\"");
        long elapsed = Long.parseLong(pie.body().replaceAll(".*\"elapsedMillis\":(\\d+).*", "$1"));
        assertThat(elapsed).isBetween(50L, 10_000L);
    }

    @ParameterizedTest
    @MethodSource("cacheUrls")
    void formEncodedCallbacksAreReadLikeJsonOnes(String cacheUrl) throws Exception {
        FunctionServer server = start(cacheUrl);
        HttpResponse<String> ice = postForm(server.port(), "ice", "callid=CA9&cli=%2B46701234567&CallStatus=ringing");
        assertThat(ice.statusCode()).as(ice.body()).isEqualTo(200);
        assertThat(ice.body()).contains("\"stored\":\"session:CA9\"");
        HttpResponse<String> pie = postForm(server.port(), "pie", "callid=CA9");
        assertThat(pie.statusCode()).isEqualTo(200);
        assertThat(pie.body()).contains("\"callerNumber\":\"+46701234567\"", "\"callid\":\"CA9\"");
        HttpResponse<String> missing = postForm(server.port(), "ice", "cli=%2B4670");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("callid is required");
        HttpResponse<String> control = postForm(server.port(), "pie", "callid=CA%00");
        assertThat(control.statusCode()).isEqualTo(400);
        assertThat(control.body()).startsWith("{\"error\":\"callid must not contain control characters");
        assertThat(postForm(server.port(), "pie", "callid=%ZZ").statusCode()).as("bad percent-encoding").isEqualTo(400);
    }

    /**
     * Regression: the README's {@code curl -d '{...}'} sends JSON with curl's default type, a form,
     * and every call of the quick start was a 400 "from is required" once forms were read.
     */
    @ParameterizedTest
    @MethodSource("cacheUrls")
    void jsonSentAsCurlSendsItWithTheFormTypeIsReadAsJson(String cacheUrl) throws Exception {
        FunctionServer server = start(cacheUrl);
        HttpResponse<String> ice = postForm(server.port(), "ice", "{\"callid\":\"CA123\",\"cli\":\"+46701234567\"}");
        assertThat(ice.body()).isEqualTo("{\"stored\":\"session:CA123\",\"ttlSeconds\":600}");
        assertThat(postForm(server.port(), "pie", "{\"callid\":\"CA123\"}").statusCode()).isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            assertThat(postForm(server.port(), "sms", "{\"from\":\"+46709999999\",\"text\":\"hi\"}").statusCode())
                    .isEqualTo(200);
        }
        HttpResponse<String> eleventh = postForm(server.port(), "sms", "{\"from\":\"+46709999999\",\"text\":\"hi\"}");
        assertThat(eleventh.statusCode()).isEqualTo(429);
        assertThat(eleventh.body()).as("the README's line").startsWith(
                "{\"error\":\"at most 10 messages in any hour from +46709999999 (RateLimitRule.slidingWindow(10, PT1H))\"");
    }

    private HttpResponse<String> postForm(int port, String route, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + route))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @MethodSource("cacheUrls")
    void pieWithoutASessionIsA404(String cacheUrl) throws Exception {
        FunctionServer server = start(cacheUrl);
        HttpResponse<String> pie = post(http, server.port(), "pie", "{\"callid\":\"never-called\"}");
        assertThat(pie.statusCode()).isEqualTo(404);
        assertThat(pie.body()).isEqualTo("{\"error\":\"no session for call never-called\"}");
    }

    @ParameterizedTest
    @MethodSource("cacheUrls")
    void eleventhSmsInAnHourIsA429(String cacheUrl) throws Exception {
        FunctionServer server = start(cacheUrl);
        for (int i = 1; i <= 10; i++) {
            assertThat(post(http, server.port(), "sms", "{\"from\":\"+4670\",\"text\":\"hi " + i + "\"}").statusCode())
                    .as("message %d", i).isEqualTo(200);
        }
        HttpResponse<String> eleventh = post(http, server.port(), "sms", "{\"from\":\"+4670\",\"text\":\"again\"}");
        assertThat(eleventh.statusCode()).isEqualTo(429);
        assertThat(eleventh.body()).contains("at most 10 messages in any hour from +4670 (RateLimitRule.slidingWindow(10, PT1H))");
        assertThat(eleventh.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(3590L, 3600L));
        assertThat(post(http, server.port(), "sms", "{\"from\":\"+4671\",\"text\":\"hi\"}").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @MethodSource("cacheUrls")
    void customerComesFromTheDirectoryOnceThenFromTheCache(String cacheUrl) throws Exception {
        FunctionServer server = start(cacheUrl);
        long first = System.nanoTime();
        HttpResponse<String> miss = get(server.port(), "/customer?phone=%2B46701234567");
        Duration missTook = Duration.ofNanos(System.nanoTime() - first);
        long second = System.nanoTime();
        HttpResponse<String> hit = get(server.port(), "/customer?phone=%2B46701234567");
        Duration hitTook = Duration.ofNanos(System.nanoTime() - second);
        assertThat(miss.statusCode()).isEqualTo(200);
        assertThat(miss.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(miss.body()).contains("\"name\":\"Alice Andersson\"", "\"phone\":\"+46701234567\"");
        assertThat(missTook).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(hit.body()).isEqualTo(miss.body());
        assertThat(hitTook).isLessThan(missTook);
    }

    @ParameterizedTest
    @MethodSource("cacheUrls")
    void whileTheDirectoryIsDownAnExpiredCustomerIsAnsweredStaleThenReloadedOnceItIsBack(String cacheUrl)
            throws Exception {
        dev.fncache.tck.MutableClock clock = new dev.fncache.tck.MutableClock(java.time.Instant.parse("2026-12-02T10:00:00Z"));
        java.util.concurrent.atomic.AtomicBoolean directoryUp = new java.util.concurrent.atomic.AtomicBoolean(true);
        VoiceFunctions functions = new VoiceFunctions(Clock.systemUTC(), phone -> {
            if (!directoryUp.get()) {
                throw new IllegalStateException("customer directory unreachable");
            }
            return new CustomerLookup.Customer(phone, "Alice Andersson", "gold");
        });
        FunctionServer server = FunctionServer.builder().name("voice-stale").cacheUrl(cacheUrl).clock(clock)
                .host("127.0.0.1").port(0).handler("customer", functions::customer).start();
        servers.add(server);
        String path = "/customer?phone=%2B46701234567";
        assertThat(get(server.port(), path).headers().firstValue("X-Cache")).hasValue("MISS");

        clock.advance(Duration.ofMinutes(6));
        directoryUp.set(false);
        HttpResponse<String> stale = get(server.port(), path);
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.headers().firstValue("X-Cache")).hasValue("STALE");
        assertThat(stale.body()).contains("\"name\":\"Alice Andersson\"");

        directoryUp.set(true);
        assertThat(get(server.port(), path).headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(get(server.port(), path).headers().firstValue("X-Cache")).hasValue("HIT");
    }

    @ParameterizedTest
    @MethodSource("cacheUrls")
    void missingOrMalformedInputIsA400(String cacheUrl) throws Exception {
        FunctionServer server = start(cacheUrl);
        assertThat(post(http, server.port(), "ice", "{\"cli\":\"+4670\"}").body()).contains("callid is required");
        assertThat(post(http, server.port(), "ice", "not json").statusCode()).isEqualTo(400);
        assertThat(get(server.port(), "/customer").statusCode()).isEqualTo(400);
    }

    @org.junit.jupiter.api.Test
    void healthTurns503WithoutNamingTheFileWhenTheSqliteFileIsDeleted() throws Exception {
        Path directory = Files.createTempDirectory("voice-deleted");
        Path file = directory.resolve("cache.db");
        FunctionServer server = start("sqlite:" + file);
        assertThat(post(http, server.port(), "ice", "{\"callid\":\"CA1\",\"cli\":\"+4670\"}").statusCode()).isEqualTo(200);
        assertThat(get(server.port(), "/health").statusCode()).isEqualTo(200);
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        HttpResponse<String> health = get(server.port(), "/health");
        while (health.statusCode() == 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            health = get(server.port(), "/health");
        }
        assertThat(health.statusCode()).as("health a few seconds after the file was deleted").isEqualTo(503);
        assertThat(health.body()).isEqualTo("{\"status\":\"unavailable\"}");
        assertThat(post(http, server.port(), "ice", "{\"callid\":\"CA2\",\"cli\":\"+4670\"}").statusCode())
                .as("writes fail instead of going into the deleted file").isEqualTo(503);
    }

    @ParameterizedTest
    @MethodSource("cacheUrls")
    void identifiersTheCacheCannotStoreAreA400NotA500(String cacheUrl) throws Exception {
        FunctionServer server = start(cacheUrl);
        for (String callid : new String[] {"\\u0000", "\\ud800", "C".repeat(2_000)}) {
            HttpResponse<String> ice = post(http, server.port(), "ice", "{\"callid\":\"" + callid + "\",\"cli\":\"+4670\"}");
            assertThat(ice.statusCode()).as("callid %s", callid.length() > 20 ? callid.length() + " chars" : callid)
                    .isEqualTo(400);
            assertThat(ice.body()).startsWith("{\"error\":\"callid must");
        }
        assertThat(post(http, server.port(), "sms", "{\"from\":\"+46\\u0000\",\"text\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(get(server.port(), "/customer?phone=" + "9".repeat(2_000)).statusCode()).isEqualTo(400);
    }
}
