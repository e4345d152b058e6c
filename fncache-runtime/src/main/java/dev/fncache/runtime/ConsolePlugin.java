package dev.fncache.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fncache.CacheEntry;
import dev.fncache.FunctionCache;
import dev.fncache.KeyPage;
import dev.fncache.spi.CacheUrl;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cache console at {@code /_console}, served only when a console token is set. The first
 * visit {@code /_console?token=T} opens a session (an HttpOnly, SameSite=Strict cookie, Secure
 * when the request came over HTTPS or through a proxy that says so); without it every console URL
 * answers 401. Mutations also need the session's CSRF token in the {@code X-CSRF-Token} header;
 * {@code POST /_console/api/logout} ends the session. Logins and sessions follow
 * {@link ConsoleSessions}. The page and its script are served from the jar; the JSON endpoints
 * live under {@code /_console/api/}.
 */
final class Console {
    static final String PATH = "/_console";
    private static final String COOKIE = "fncache_console";
    private static final String CSRF_HEADER = "X-CSRF-Token";
    private static final int PREVIEW_CHARS = 80;
    private static final int COUNT_CAP = 100_000;

    private final ConsoleSessions sessions;
    private final HostedFunction function;
    /** The console's own cache on the function's store, so its reads do not count in the metrics. */
    private final FunctionCache cache;
    private final String redactedUrl;
    private final MeterRegistry registry;

    Console(String token, java.time.Clock clock, HostedFunction function, FunctionCache cache, String cacheUrl,
            MeterRegistry registry) {
        this.sessions = new ConsoleSessions(token, clock);
        this.function = function;
        this.cache = cache;
        this.redactedUrl = CacheUrl.parse(cacheUrl).toString();
        this.registry = registry;
    }

    /** Every console path, for the HTTP metrics' route tags. */
    static List<String> paths() {
        List<String> paths = new ArrayList<>(List.of(PATH, PATH + "/console.js", PATH + "/console.css"));
        for (String api : List.of("info", "keys", "entry", "extend", "count", "purge", "logout")) {
            paths.add(PATH + "/api/" + api);
        }
        return paths;
    }

    /** Closes the console's cache; the function's stays open. */
    void close() {
        cache.close();
    }

    void register(JavalinConfig config) {
        config.routes.get(PATH, this::page);
        config.routes.get(PATH + "/console.js", reading(ctx -> asset(ctx, "console.js", "text/javascript; charset=utf-8")));
        config.routes.get(PATH + "/console.css", reading(ctx -> asset(ctx, "console.css", "text/css; charset=utf-8")));
        config.routes.get(PATH + "/api/info", reading(this::info));
        config.routes.get(PATH + "/api/keys", reading(this::keys));
        config.routes.get(PATH + "/api/entry", reading(this::entry));
        config.routes.get(PATH + "/api/count", reading(this::count));
        config.routes.put(PATH + "/api/entry", changing(this::store));
        config.routes.delete(PATH + "/api/entry", changing(this::delete));
        config.routes.post(PATH + "/api/extend", changing(this::extend));
        config.routes.post(PATH + "/api/purge", changing(this::purge));
        config.routes.post(PATH + "/api/logout", changing(this::logout));
    }

    private void page(Context ctx) throws IOException {
        String given = ctx.queryParam("token");
        if (given != null) {
            ctx.attribute(FunctionRoute.HANDLED, true);
            ctx.header("Cache-Control", "no-store");
            ConsoleSessions.Login login = sessions.login(given, ctx.ip());
            if (login instanceof ConsoleSessions.Login.Opened opened) {
                ctx.header("Set-Cookie", COOKIE + "=" + opened.session() + "; Path=" + PATH + "; HttpOnly; SameSite=Strict"
                        + (overHttps(ctx) ? "; Secure" : ""));
                ctx.redirect(PATH, io.javalin.http.HttpStatus.SEE_OTHER);
            } else if (login instanceof ConsoleSessions.Login.Throttled throttled) {
                long seconds = Math.max(1, (throttled.retryAfter().toMillis() + 999) / 1_000);
                ctx.header("Retry-After", Long.toString(seconds));
                Responses.error(ctx, 429, "too many failed console logins; try again in " + seconds + " s");
            } else {
                function.log().warn("console: a login from {} gave a wrong token", ctx.ip());
                unauthorized(ctx);
            }
            return;
        }
        String csrf = csrfOf(ctx);
        if (csrf == null) {
            unauthorized(ctx);
            return;
        }
        String html = new String(resource("console.html"), StandardCharsets.UTF_8)
                .replace("{{csrf}}", csrf)
                .replace("{{namespace}}", escapeHtml(function.name()));
        ctx.header("Cache-Control", "no-store");
        ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType("text/html; charset=utf-8").result(html);
    }

    /** A read: needs the session cookie. */
    private Handler reading(Handler handler) {
        return ctx -> {
            if (csrfOf(ctx) == null) {
                unauthorized(ctx);
                return;
            }
            handle(ctx, handler);
        };
    }

    /** A mutation: needs the session cookie and its CSRF token in the header. */
    private Handler changing(Handler handler) {
        return ctx -> {
            String csrf = csrfOf(ctx);
            if (csrf == null) {
                unauthorized(ctx);
                return;
            }
            String given = ctx.header(CSRF_HEADER);
            if (given == null || !MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                    given.getBytes(StandardCharsets.UTF_8))) {
                Responses.error(ctx, 403, "a console change needs the page's " + CSRF_HEADER + " header");
                return;
            }
            handle(ctx, handler);
        };
    }

    private void handle(Context ctx, Handler handler) throws Exception {
        ctx.attribute(FunctionRoute.HANDLED, true);
        ctx.header("Cache-Control", "no-store");
        try {
            handler.handle(ctx);
        } catch (IllegalArgumentException e) {
            Responses.error(ctx, 400, e.getMessage());
        } catch (dev.fncache.CacheUnavailableException e) {
            function.log().error("console: the cache is unavailable: {}", e.getMessage());
            Responses.error(ctx, 503, "the cache is unavailable; the server log has the details");
        }
    }

    private String csrfOf(Context ctx) {
        return sessions.csrfOf(ctx.cookie(COOKIE));
    }

    /** Whether the browser reached the console over HTTPS: directly, or through a proxy that says so. */
    private static boolean overHttps(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-Proto");
        return "https".equalsIgnoreCase(ctx.scheme()) || forwarded != null && forwarded.strip().equalsIgnoreCase("https");
    }

    private void logout(Context ctx) {
        sessions.logout(ctx.cookie(COOKIE));
        ctx.header("Set-Cookie", COOKIE + "=; Path=" + PATH + "; Max-Age=0; HttpOnly; SameSite=Strict"
                + (overHttps(ctx) ? "; Secure" : ""));
        Responses.json(ctx, 200, Map.of("loggedOut", true));
    }

    private static void unauthorized(Context ctx) {
        Responses.error(ctx, 401, "the console needs its token: open " + PATH + "?token=... once");
    }

    private void info(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("namespace", function.name());
        body.put("backend", redactedUrl);
        long[] counted = countMatching(cache, "*");
        body.put("entries", counted[0]);
        body.put("entriesCapped", counted[1] == 1);
        double hits = Search.in(registry).name("cache.gets").tag("result", "hit").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        double misses = Search.in(registry).name("cache.gets").tag("result", "miss").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        body.put("hits", (long) hits);
        body.put("misses", (long) misses);
        body.put("hitRate", hits + misses == 0 ? null : hits / (hits + misses));
        Map<String, Long> operations = new TreeMap<>();
        Search.in(registry).name("fncache.operation").functionTimers().forEach(timer ->
                operations.merge(timer.getId().getTag("operation"), (long) timer.count(), Long::sum));
        body.put("operations", operations);
        Responses.json(ctx, 200, body);
    }

    private void keys(Context ctx) {
        String pattern = orDefault(ctx.queryParam("pattern"), "*");
        int limit = Integer.parseInt(orDefault(ctx.queryParam("limit"), "50"));
        String cursor = ctx.queryParam("cursor");
        KeyPage page = cache.keys(pattern, limit, cursor == null || cursor.isEmpty() ? null : cursor);
        Map<String, JsonNode> values = cache.getMany(page.keys(), JsonNode.class);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String key : page.keys()) {
            Duration left = cache.ttl(key);
            JsonNode value = values.get(key);
            if (left == null || value == null) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", key);
            row.put("ttlMillis", left.toMillis());
            String text = value.toString();
            row.put("preview", text.length() > PREVIEW_CHARS ? text.substring(0, PREVIEW_CHARS) + "…" : text);
            rows.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("keys", rows);
        body.put("nextCursor", page.nextCursor());
        Responses.json(ctx, 200, body);
    }

    private void entry(Context ctx) {
        String key = required(ctx, "key");
        CacheEntry<JsonNode> entry = cache.getEntry(key, JsonNode.class);
        if (entry == null) {
            Responses.error(ctx, 404, "no key " + key);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("value", entry.value());
        body.put("ttlMillis", entry.ttl().toMillis());
        body.put("version", entry.version());
        Responses.json(ctx, 200, body);
    }

    private void count(Context ctx) {
        long[] counted = countMatching(cache, required(ctx, "pattern"));
        Responses.json(ctx, 200, Map.of("count", counted[0], "capped", counted[1] == 1));
    }

    private void store(Context ctx) {
        String key = required(ctx, "key");
        JsonNode body = bodyJson(ctx);
        JsonNode value = body.get("value");
        if (value == null) {
            throw new IllegalArgumentException("the body must be {\"value\": JSON, \"ttlSeconds\": N}, but had no value");
        }
        long ttlSeconds = body.path("ttlSeconds").asLong(3600);
        cache.set(key, value, ttlSeconds);
        Responses.json(ctx, 200, Map.of("stored", key));
    }

    private void delete(Context ctx) {
        boolean deleted = cache.delete(required(ctx, "key"));
        Responses.json(ctx, 200, Map.of("deleted", deleted));
    }

    private void extend(Context ctx) {
        String key = required(ctx, "key");
        long seconds = bodyJson(ctx).path("seconds").asLong(0);
        boolean extended = cache.extend(key, seconds);
        if (!extended) {
            Responses.error(ctx, 404, "no key " + key);
            return;
        }
        Duration left = cache.ttl(key);
        Responses.json(ctx, 200, Map.of("ttlMillis", left == null ? 0 : left.toMillis()));
    }

    private void purge(Context ctx) {
        String pattern = bodyJson(ctx).path("pattern").asText(null);
        if (pattern == null) {
            throw new IllegalArgumentException("the body must be {\"pattern\": GLOB}");
        }
        Responses.json(ctx, 200, Map.of("deleted", cache.deleteAll(pattern)));
    }

    /** The count of live keys matching, up to a cap: {count, 1 when capped}. */
    private static long[] countMatching(FunctionCache cache, String pattern) {
        long count = 0;
        String cursor = null;
        do {
            KeyPage page = cache.keys(pattern, 10_000, cursor);
            count += page.keys().size();
            cursor = page.nextCursor();
        } while (cursor != null && count < COUNT_CAP);
        return new long[] {count, cursor != null ? 1 : 0};
    }

    private static JsonNode bodyJson(Context ctx) {
        try {
            JsonNode body = dev.fncache.CacheJson.reader().readTree(ctx.bodyAsBytes());
            if (body == null || !body.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new IllegalArgumentException("the body must be a JSON object, but was not valid JSON");
        }
    }

    private static String required(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the query parameter " + name + " is required");
        }
        return value;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    private void asset(Context ctx, String name, String contentType) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType(contentType).result(resource(name));
    }

    private static byte[] resource(String name) {
        try (InputStream in = Console.class.getResourceAsStream("console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console/" + name + " is missing from the fncache-runtime jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
