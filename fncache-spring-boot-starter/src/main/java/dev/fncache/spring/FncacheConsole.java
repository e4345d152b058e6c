package dev.fncache.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fncache.CacheJson;
import dev.fncache.CacheUnavailableException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.runtime.BadRequestException;
import dev.fncache.runtime.ConsolePlugin;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;

/**
 * fncache's console ({@code /_console}, fncache-runtime's {@link ConsolePlugin}) on a port of its
 * own beside the application's web server: on when {@code fncache.console.token} is set and
 * fncache-runtime is on the class path. Anyone with the token can read and change the
 * namespace's entries, so it listens on {@code 127.0.0.1} unless {@code fncache.console.host}
 * says otherwise. It reads through a cache of its own, so its reads do not count as the
 * application's.
 */
public final class FncacheConsole implements AutoCloseable {
    private final FunctionCache operatorCache;
    private final Javalin app;

    FncacheConsole(String token, String namespace, String url, String host, int port, MeterRegistry registry) {
        this.operatorCache = FunctionCaches.builder().url(url).namespace(namespace).build();
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.registerPlugin(new ConsolePlugin(token, namespace, operatorCache, url, registry, Clock.systemUTC()));
            config.routes.exception(BadRequestException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            config.routes.exception(CacheUnavailableException.class,
                    (e, ctx) -> error(ctx, 503, "the cache is unavailable: " + e.getMessage()));
        });
    }

    void start() {
        try {
            app.start();
        } catch (RuntimeException e) {
            operatorCache.close();
            throw e;
        }
    }

    /** The port the console listens on (the one asked for, or the one chosen for port 0). */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        operatorCache.close();
    }

    private static void error(Context ctx, int status, String message) {
        try {
            ctx.status(status).contentType("application/json")
                    .result(CacheJson.writer().writeValueAsString(Map.of("error", message)));
        } catch (JsonProcessingException e) {
            ctx.status(status).result(message);
        }
    }
}
