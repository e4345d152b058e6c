package dev.fncache.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console's doors over plain HTTP: absent without a token, 401 without the session, 403 without CSRF. */
class ConsoleHttpTest {
    private static final String TOKEN = "console-test-token-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();
    private final String store = "memory:console-" + UUID.randomUUID();
    private FunctionServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A clock the test moves, for session expiry and login throttling. */
    static final class SteppedClock extends java.time.Clock {
        private volatile java.time.Instant now = java.time.Instant.now();

        void advance(java.time.Duration step) {
            now = now.plus(step);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    private final SteppedClock clock = new SteppedClock();

    private FunctionServer start(String token) {
        FunctionServerConfig builder = FunctionServer.builder().name("console-http").cacheUrl(store).clock(clock)
                .host("127.0.0.1").port(0).handler("ping", (context, request) -> "pong");
        if (token != null) {
            builder.consoleToken(token);
        }
        server = builder.start();
        return server;
    }

    private HttpResponse<String> send(String method, String path, String cookie, String csrf, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutATokenNothingIsServed() throws Exception {
        start(null);
        for (String path : List.of("/_console", "/_console?token=anything", "/_console/console.js", "/_console/api/keys")) {
            assertThat(send("GET", path, null, null, null).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void everyConsoleUrlIs401WithoutTheSessionAndAWrongTokenOpensNone() throws Exception {
        start(TOKEN);
        for (String path : List.of("/_console", "/_console/console.js", "/_console/console.css", "/_console/api/info",
                "/_console/api/keys", "/_console/api/entry?key=k", "/_console/api/count?pattern=*")) {
            assertThat(send("GET", path, null, null, null).statusCode()).as(path).isEqualTo(401);
            assertThat(send("GET", path, "fncache_console=forged", null, null).statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> wrong = send("GET", "/_console?token=" + TOKEN + "x", null, null, null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(wrong.body()).doesNotContain(TOKEN);
    }

    @Test
    void theTokenOpensAnHttpOnlySameSiteStrictSessionAndMutationsNeedItsCsrfHeader() throws Exception {
        start(TOKEN);
        HttpResponse<String> opened = send("GET", "/_console?token=" + TOKEN, null, null, null);
        assertThat(opened.statusCode()).isEqualTo(303);
        assertThat(opened.headers().firstValue("Location")).hasValue("/_console");
        String setCookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/_console")
                .doesNotContain(TOKEN);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> page = send("GET", "/_console", cookie, null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("script-src 'self'"));
        Matcher meta = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(page.body());
        assertThat(meta.find()).isTrue();
        String csrf = meta.group(1);

        FunctionCache cache = FunctionCaches.open(store, "console-http");
        cache.set("k", "kept", 60);
        String store = "{\"value\":\"changed\",\"ttlSeconds\":60}";
        assertThat(send("PUT", "/_console/api/entry?key=k", cookie, null, store).statusCode()).isEqualTo(403);
        assertThat(send("PUT", "/_console/api/entry?key=k", cookie, csrf + "x", store).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/_console/api/entry?key=k", cookie, null, null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/_console/api/purge", cookie, null, "{\"pattern\":\"*\"}").statusCode()).isEqualTo(403);
        assertThat(send("POST", "/_console/api/extend?key=k", cookie, null, "{\"seconds\":10}").statusCode()).isEqualTo(403);
        assertThat(cache.get("k", String.class)).as("refused changes changed nothing").isEqualTo("kept");

        assertThat(send("PUT", "/_console/api/entry?key=k", cookie, csrf, store).statusCode()).isEqualTo(200);
        assertThat(cache.get("k", String.class)).isEqualTo("changed");
        HttpResponse<String> badJson = send("PUT", "/_console/api/entry?key=k", cookie, csrf, "{not json");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(send("GET", "/_console/api/entry?key=absent", cookie, null, null).statusCode()).isEqualTo(404);
        cache.close();
    }

    private String login(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/_console?token=" + TOKEN));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> opened = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(opened.statusCode()).isEqualTo(303);
        String setCookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private String csrf(String cookie) throws Exception {
        Matcher meta = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(
                send("GET", "/_console", cookie, null, null).body());
        assertThat(meta.find()).isTrue();
        return meta.group(1);
    }

    /** Regression: 567 wrong tokens a second were answered, and the right token was still accepted. */
    @Test
    void failedLoginsAreThrottledPerClientWith429AndRetryAfterUntilTheMinutePasses() throws Exception {
        start(TOKEN);
        for (int i = 0; i < ConsoleSessions.FAILURES_PER_CLIENT; i++) {
            assertThat(send("GET", "/_console?token=guess" + i, null, null, null).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> throttled = send("GET", "/_console?token=guess-again", null, null, null);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(throttled.body()).contains("too many failed console logins");
        assertThat(send("GET", "/_console?token=" + TOKEN, null, null, null).statusCode())
                .as("even the right token waits: a throttled login is not checked").isEqualTo(429);
        clock.advance(java.time.Duration.ofSeconds(30));
        assertThat(send("GET", "/_console?token=" + TOKEN, null, null, null).headers().firstValue("Retry-After"))
                .hasValue("30");
        clock.advance(java.time.Duration.ofSeconds(30));
        assertThat(login()).startsWith("fncache_console=");
    }

    @Test
    void failedLoginsAreThrottledInTotalAcrossClients() {
        ConsoleSessions sessions = new ConsoleSessions(TOKEN, clock);
        for (int i = 0; i < ConsoleSessions.FAILURES_IN_TOTAL; i++) {
            assertThat(sessions.login("guess", "10.0.0." + i)).isInstanceOf(ConsoleSessions.Login.Refused.class);
        }
        assertThat(sessions.login("guess", "10.0.1.1")).isInstanceOf(ConsoleSessions.Login.Throttled.class);
        clock.advance(ConsoleSessions.FAILURE_WINDOW);
        assertThat(sessions.login(TOKEN, "10.0.1.1")).isInstanceOf(ConsoleSessions.Login.Opened.class);
    }

    /** Regression: sessions never expired. */
    @Test
    void aSessionEndsAfterThirtyIdleMinutesOrTwelveHoursAfterItsLogin() throws Exception {
        start(TOKEN);
        String idle = login();
        clock.advance(ConsoleSessions.IDLE.minusSeconds(1));
        assertThat(send("GET", "/_console/api/info", idle, null, null).statusCode()).isEqualTo(200);
        clock.advance(ConsoleSessions.IDLE);
        assertThat(send("GET", "/_console/api/info", idle, null, null).statusCode()).isEqualTo(401);

        String busy = login();
        for (int i = 0; i < 24; i++) {
            clock.advance(ConsoleSessions.IDLE.minusMinutes(1));
            int status = send("GET", "/_console/api/info", busy, null, null).statusCode();
            assertThat(status).as("after %d minutes", 29 * (i + 1)).isEqualTo(29 * (i + 1) < 720 ? 200 : 401);
        }
    }

    /** Regression: the 1,000th login cleared every session, so a token holder logged everyone out. */
    @Test
    void aLoginPastTheLimitEndsOnlyTheSessionUsedLeastRecently() {
        ConsoleSessions sessions = new ConsoleSessions(TOKEN, clock);
        List<String> opened = new java.util.ArrayList<>();
        for (int i = 0; i < ConsoleSessions.MAX_SESSIONS; i++) {
            opened.add(((ConsoleSessions.Login.Opened) sessions.login(TOKEN, "127.0.0.1")).session());
        }
        assertThat(sessions.csrfOf(opened.get(0))).as("the oldest, used again").isNotNull();
        sessions.login(TOKEN, "127.0.0.1");
        assertThat(sessions.size()).isEqualTo(ConsoleSessions.MAX_SESSIONS);
        assertThat(sessions.csrfOf(opened.get(0))).isNotNull();
        assertThat(sessions.csrfOf(opened.get(1))).as("the least recently used").isNull();
        assertThat(opened.subList(2, opened.size())).allSatisfy(session -> assertThat(sessions.csrfOf(session)).isNotNull());
    }

    @Test
    void logoutEndsTheSessionAndClearsTheCookie() throws Exception {
        start(TOKEN);
        String cookie = login();
        String csrf = csrf(cookie);
        assertThat(send("POST", "/_console/api/logout", cookie, null, null).statusCode()).as("needs CSRF").isEqualTo(403);
        HttpResponse<String> out = send("POST", "/_console/api/logout", cookie, csrf, null);
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
        assertThat(send("GET", "/_console/api/info", cookie, null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void theCookieIsSecureWhenAProxySaysTheConsoleIsServedOverHttps() throws Exception {
        start(TOKEN);
        HttpResponse<String> plain = send("GET", "/_console?token=" + TOKEN, null, null, null);
        assertThat(plain.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");
        HttpResponse<String> proxied = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/_console?token=" + TOKEN)).header("X-Forwarded-Proto", "https").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(proxied.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
    }

    /** Regression: a 3-character token was accepted on a server listening on every interface. */
    @Test
    void aTokenUnderSixteenCharactersIsRefusedUnlessTheServerListensOnlyOnLoopback() {
        FunctionServerConfig exposed = FunctionServer.builder().name("console-short").cacheUrl(store).port(0)
                .consoleToken("dev").handler("ping", (context, request) -> "pong");
        assertThatThrownBy(exposed::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("consoleToken must be at least 16 characters when the server listens beyond loopback "
                        + "(host 0.0.0.0), but was 3; use a long random one (openssl rand -hex 16), or HOST=127.0.0.1")
                .message().doesNotContain("dev'");
        FunctionServerConfig fromEnvironment = FunctionServer.builder().name("console-short").cacheUrl(store)
                .environment(java.util.Map.of("HOST", "127.0.0.1", "PORT", "0", "FNCACHE_CONSOLE_TOKEN", "dev"))
                .fromEnvironment().handler("ping", (context, request) -> "pong");
        server = fromEnvironment.start();
        assertThat(server.port()).isPositive();
    }

    @Test
    void aConsoleTokenMustBePrintableAndItsRouteIsReserved() {
        assertThatThrownBy(() -> FunctionServer.builder().consoleToken(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("consoleToken must be printable ASCII without spaces");
        assertThatThrownBy(() -> FunctionServer.builder().consoleToken("secret with space"))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("secret");
        assertThatThrownBy(() -> FunctionServer.builder().handler("_console", (c, r) -> null))
                .hasMessageContaining("is the runtime's own");
    }
}
