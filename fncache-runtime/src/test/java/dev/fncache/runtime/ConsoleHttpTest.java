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

    private FunctionServer start(String token) {
        FunctionServer.Builder builder = FunctionServer.builder().name("console-http").cacheUrl(store)
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
