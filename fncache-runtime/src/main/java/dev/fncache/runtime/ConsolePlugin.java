package dev.fncache.runtime;

import dev.fncache.FunctionCache;
import io.javalin.config.JavalinState;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.plugin.Plugin;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache console at {@code /_console}. The first visit {@code /_console?token=T} opens a
 * session (an HttpOnly, SameSite=Strict cookie, Secure when the request came over HTTPS or
 * through a proxy that says so); without it every console URL answers 401. Mutations also need
 * the session's CSRF token in the {@code X-CSRF-Token} header; {@code POST /_console/api/logout}
 * ends the session. Logins and sessions follow {@link ConsoleSessions}; the JSON endpoints are
 * {@link ConsoleApi}'s. The page and its script are served from the jar. A refused argument
 * reaches the application as a {@link BadRequestException} (400) and a store failure as a
 * {@link dev.fncache.CacheUnavailableException} (503), as {@link FunctionServer} maps them. Mount
 * it with {@code config.registerPlugin(new ConsolePlugin(token, "voice-demo", cache, url, registry, clock))};
 * anyone with the token can read and change {@code cache}.
 */
public final class ConsolePlugin extends Plugin<Void> {
    static final String PATH = "/_console";
    private static final String COOKIE = "fncache_console";
    private static final String CSRF_HEADER = "X-CSRF-Token";

    private final ConsoleSessions sessions;
    private final String name;
    private final Logger log;
    private final ConsoleApi api;

    /**
     * The console of the function {@code name}, showing {@code cache} (whose URL, shown without
     * its password, is {@code cacheUrl}) and the statistics {@code registry} holds.
     */
    public ConsolePlugin(String token, String name, FunctionCache cache, String cacheUrl, MeterRegistry registry,
            Clock clock) {
        if (token == null || name == null || cache == null || cacheUrl == null || registry == null || clock == null) {
            throw new IllegalArgumentException("token, name, cache, cacheUrl, registry and clock must not be null");
        }
        this.sessions = new ConsoleSessions(token, clock);
        this.name = name;
        this.log = LoggerFactory.getLogger("fncache.function." + name);
        this.api = new ConsoleApi(name, cache, cacheUrl, registry);
    }

    @Override
    public void onInitialize(JavalinState state) {
        RoutesConfig routes = state.routes;
        routes.get(PATH, this::page);
        routes.get(PATH + "/console.js", reading(ctx -> asset(ctx, "console.js", "text/javascript; charset=utf-8")));
        routes.get(PATH + "/console.css", reading(ctx -> asset(ctx, "console.css", "text/css; charset=utf-8")));
        routes.get(PATH + "/api/info", reading(api::info));
        routes.get(PATH + "/api/keys", reading(api::keys));
        routes.get(PATH + "/api/entry", reading(api::entry));
        routes.get(PATH + "/api/count", reading(api::count));
        routes.put(PATH + "/api/entry", changing(api::store));
        routes.delete(PATH + "/api/entry", changing(api::delete));
        routes.post(PATH + "/api/extend", changing(api::extend));
        routes.post(PATH + "/api/purge", changing(api::purge));
        routes.post(PATH + "/api/logout", changing(this::logout));
    }

    private void page(Context ctx) throws IOException {
        String given = ctx.queryParam("token");
        if (given != null) {
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
                log.warn("console: a login from {} gave a wrong token", ctx.ip());
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
                .replace("{{namespace}}", escapeHtml(name));
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
        ctx.header("Cache-Control", "no-store");
        try {
            handler.handle(ctx);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage(), e);
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

    private void asset(Context ctx, String name, String contentType) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType(contentType).result(resource(name));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsolePlugin.class.getResourceAsStream("console/" + name)) {
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
