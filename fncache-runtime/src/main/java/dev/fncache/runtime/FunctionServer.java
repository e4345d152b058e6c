package dev.fncache.runtime;

import dev.fncache.CacheUnavailableException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.internal.JsonCodec;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts functions over HTTP: {@code GET} and {@code POST /ROUTE} call the route's handler with a
 * context whose {@code cache()} is the server's one {@link FunctionCache}; {@code GET /health}
 * answers 200 when the cache answers and 503 when it does not. Configured in code or from
 * {@code FNCACHE_URL}, {@code FUNCTION_NAME} and {@code PORT}.
 */
public final class FunctionServer implements AutoCloseable {
    /** The largest request body accepted; larger ones get 413. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    /** How much of an oversized body is read and dropped so the 413 reaches the client. */
    static final long MAX_DRAINED_BYTES = 16L << 20;

    private static final String HANDLED = "fncache.handled";
    private static final String HEALTH_KEY = "fncache:health-probe";
    private static final Pattern ROUTE = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final String name;
    private final FunctionCache cache;
    private final Map<String, String> environment;
    private final Duration shutdownTimeout;
    private final Logger log;
    private final Javalin app;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean draining;
    private int port;

    private FunctionServer(Builder builder, String name, FunctionCache cache) {
        this.name = name;
        this.cache = cache;
        this.environment = builder.environment;
        this.shutdownTimeout = builder.shutdownTimeout;
        this.log = LoggerFactory.getLogger("fncache.function." + name);
        Map<String, FunctionHandler> handlers = Map.copyOf(builder.handlers);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.jetty.host = builder.host;
            config.jetty.port = builder.port;
            config.jetty.modifyServer(server -> SlowClientGuard.install(server, builder.bodyTimeout, MAX_BODY_BYTES));
            config.routes.get("/health", this::health);
            handlers.forEach((route, handler) -> {
                config.routes.get("/" + route, ctx -> dispatch(handler, ctx));
                config.routes.post("/" + route, ctx -> dispatch(handler, ctx));
            });
            config.routes.error(404, "*", ctx -> {
                if (ctx.attribute(HANDLED) == null) {
                    writeJson(ctx, 404, errorBody("no function answers " + ctx.method() + " " + ctx.path(), null));
                }
            });
        });
    }

    /** A builder; {@link Builder#start()} opens the cache and starts listening. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on, or listened on once closed (useful after {@code port(0)}). */
    public int port() {
        return port;
    }

    /** The function's name and cache namespace. */
    public String name() {
        return name;
    }

    /** Closes this server when the JVM is asked to stop (SIGTERM, SIGINT). */
    public FunctionServer closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "fncache-shutdown"));
        return this;
    }

    /**
     * Stops gracefully: stops accepting connections, lets in-flight requests finish for up to the
     * shutdown timeout, stops the server, then closes the cache. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        draining = true;
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            connector.shutdown();
        }
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) {
            log.warn("stopping with {} requests still in flight after {}", inFlight.get(), shutdownTimeout);
        }
        app.stop();
        cache.close();
        log.info("function {} stopped; cache closed", name);
    }

    private void dispatch(FunctionHandler handler, Context ctx) {
        ctx.attribute(HANDLED, true);
        String requestId = requestId(ctx);
        ctx.header("X-Request-Id", requestId);
        if (draining) {
            ctx.header("Connection", "close");
            writeJson(ctx, 503, errorBody("the function is shutting down", requestId));
            return;
        }
        inFlight.incrementAndGet();
        try {
            byte[] body;
            try {
                body = readBody(ctx);
            } catch (IOException e) {
                writeJson(ctx, 400, errorBody("the request body could not be read: " + e.getMessage(), requestId));
                return;
            }
            if (body == null) {
                writeJson(ctx, 413, errorBody("the request body must be at most " + MAX_BODY_BYTES + " bytes", requestId));
                return;
            }
            FunctionRequest request = new FunctionRequest(ctx.method().name(), ctx.path(), headers(ctx),
                    ctx.queryParamMap(), body);
            Object result;
            try {
                result = handler.handle(new RequestContext(requestId, Instant.now()), request);
            } catch (BadRequestException e) {
                log.info("request {} to {} {} refused: {}", requestId, ctx.method(), ctx.path(), e.getMessage());
                writeJson(ctx, 400, errorBody(e.getMessage(), requestId));
                return;
            } catch (CacheUnavailableException e) {
                log.error("request {} to {} {}: the cache is unavailable: {}", requestId, ctx.method(), ctx.path(),
                        e.getMessage());
                writeJson(ctx, 503, errorBody("the cache is unavailable; the server log has the details of request "
                        + requestId, requestId));
                return;
            } catch (Exception e) {
                log.error("request {} to {} {} failed", requestId, ctx.method(), ctx.path(), e);
                writeJson(ctx, 500, errorBody("the function failed; the server log has the details of request "
                        + requestId, requestId));
                return;
            }
            write(ctx, result);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Anyone may ask, so a failure says only "unavailable"; what failed goes to the log. */
    private void health(Context ctx) {
        ctx.attribute(HANDLED, true);
        try {
            cache.has(HEALTH_KEY);
        } catch (RuntimeException e) {
            if (healthy.getAndSet(false)) {
                log.error("health: the cache is unavailable: {}", e.getMessage());
            }
            writeJson(ctx, 503, Map.of("status", "unavailable"));
            return;
        }
        if (!healthy.getAndSet(true)) {
            log.info("health: the cache answers again");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("function", name);
        body.put("status", draining ? "stopping" : "ok");
        writeJson(ctx, draining ? 503 : 200, body);
    }

    private void write(Context ctx, Object result) {
        FunctionResponse response = result instanceof FunctionResponse explicit ? explicit
                : result == null ? FunctionResponse.noContent() : FunctionResponse.ok(result);
        response.headers().forEach(ctx::header);
        Object body = response.body();
        ctx.status(response.status());
        if (body == null) {
            return;
        }
        boolean typed = response.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
        if (body instanceof byte[] bytes) {
            if (!typed) {
                ctx.contentType("application/octet-stream");
            }
            ctx.result(bytes);
        } else if (body instanceof String text) {
            if (!typed) {
                ctx.contentType("text/plain; charset=utf-8");
            }
            ctx.result(text.getBytes(StandardCharsets.UTF_8));
        } else {
            if (!typed) {
                ctx.contentType("application/json");
            }
            ctx.result(json(body));
        }
    }

    private static void writeJson(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(json(body));
    }

    private static byte[] json(Object body) {
        try {
            return JsonCodec.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("the response of type " + body.getClass().getName()
                    + " cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> errorBody(String message, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        return body;
    }

    /**
     * The whole body, or null when it is larger than {@link #MAX_BODY_BYTES}. An oversized body
     * is read and dropped up to {@link #MAX_DRAINED_BYTES} first: closing a connection with
     * unread input makes the kernel reset it, and the client would never see the 413.
     */
    private static byte[] readBody(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > MAX_BODY_BYTES) {
                drain(ctx, in, declared);
                return null;
            }
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length <= MAX_BODY_BYTES) {
                return body;
            }
            drain(ctx, in, -1);
            return null;
        }
    }

    private static void drain(Context ctx, InputStream in, long declared) throws IOException {
        if (declared > MAX_DRAINED_BYTES) {
            ctx.header("Connection", "close");
            return;
        }
        byte[] buffer = new byte[8192];
        long dropped = 0;
        int read;
        while ((read = in.read(buffer)) > 0) {
            dropped += read;
            if (dropped > MAX_DRAINED_BYTES) {
                ctx.header("Connection", "close");
                return;
            }
        }
    }

    private static String requestId(Context ctx) {
        String given = ctx.header("X-Request-Id");
        return given != null && REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    private static Map<String, List<String>> headers(Context ctx) {
        Map<String, List<String>> headers = new HashMap<>();
        var names = ctx.req().getHeaderNames();
        while (names.hasMoreElements()) {
            String header = names.nextElement();
            headers.put(header.toLowerCase(Locale.ROOT), java.util.Collections.list(ctx.req().getHeaders(header)));
        }
        return headers;
    }

    private final class RequestContext implements FunctionContext {
        private final String requestId;
        private final Instant timestamp;

        RequestContext(String requestId, Instant timestamp) {
            this.requestId = requestId;
            this.timestamp = timestamp;
        }

        @Override
        public FunctionCache cache() {
            return cache;
        }

        @Override
        public String functionName() {
            return name;
        }

        @Override
        public String requestId() {
            return requestId;
        }

        @Override
        public Instant timestamp() {
            return timestamp;
        }

        @Override
        public String env(String variable) {
            return environment.get(variable);
        }

        @Override
        public Logger log() {
            return log;
        }
    }

    /** Settings for a server; name and at least one handler are required. */
    public static final class Builder {
        private String name;
        private String cacheUrl = FunctionCaches.DEFAULT_URL;
        private String host = "0.0.0.0";
        private int port = 8080;
        private Clock clock = Clock.systemUTC();
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private Duration bodyTimeout = Duration.ofSeconds(10);
        private Map<String, String> environment = System.getenv();
        private final Map<String, FunctionHandler> handlers = new LinkedHashMap<>();

        private Builder() {
        }

        /** The function's name: its cache namespace, 1 to 64 of {@code A-Z a-z 0-9 . _ -}. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The cache URL; default {@code memory:}. */
        public Builder cacheUrl(String cacheUrl) {
            if (cacheUrl == null || cacheUrl.isBlank()) {
                throw new IllegalArgumentException("cacheUrl must be a cache URL such as memory: or sqlite:PATH, but was "
                        + (cacheUrl == null ? "null" : "blank"));
            }
            this.cacheUrl = cacheUrl;
            return this;
        }

        /** The interface to listen on; default all. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port, 0 to 65535 (0: any free port); default 8080. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, but was " + port);
            }
            this.port = port;
            return this;
        }

        /** The cache's clock (memory and sqlite), for tests. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** How long {@link FunctionServer#close()} waits for in-flight requests; default 10 s. */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        /**
         * How long a request's body may take to arrive, 100 ms to 10 minutes; default 10 s. Bodies
         * are read without holding a thread, and one that is not in by then is answered 408, so
         * slow or stalled clients cannot take the server's threads.
         */
        public Builder bodyTimeout(Duration bodyTimeout) {
            if (bodyTimeout == null || bodyTimeout.compareTo(Duration.ofMillis(100)) < 0
                    || bodyTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("bodyTimeout must be between PT0.1S and PT10M, but was " + bodyTimeout);
            }
            this.bodyTimeout = bodyTimeout;
            return this;
        }

        /** The variables {@link FunctionContext#env} reads; default the process environment. */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /** Serves {@code GET} and {@code POST /route} with {@code handler}. */
        public Builder handler(String route, FunctionHandler handler) {
            if (route == null || !ROUTE.matcher(route).matches()) {
                throw new IllegalArgumentException("route must be path segments of A-Z a-z 0-9 . _ - such as 'ice' or "
                        + "'calls/status', without a leading slash, but was " + (route == null ? "null" : "'" + route + "'"));
            }
            if (route.equals("health")) {
                throw new IllegalArgumentException("route 'health' is the runtime's own health check");
            }
            if (handler == null) {
                throw new IllegalArgumentException("handler for route '" + route + "' must not be null");
            }
            if (handlers.putIfAbsent(route, handler) != null) {
                throw new IllegalArgumentException("route '" + route + "' already has a handler");
            }
            return this;
        }

        /** Takes {@code FNCACHE_URL}, {@code FUNCTION_NAME} and {@code PORT} from the environment where set. */
        public Builder fromEnvironment() {
            String url = environment.get("FNCACHE_URL");
            if (url != null && !url.isBlank()) {
                cacheUrl(url);
            }
            String functionName = environment.get("FUNCTION_NAME");
            if (functionName != null && !functionName.isBlank()) {
                name(functionName);
            }
            String portText = environment.get("PORT");
            if (portText != null && !portText.isBlank()) {
                try {
                    port(Integer.parseInt(portText.strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("PORT must be a number between 0 and 65535, but was '" + portText + "'");
                }
            }
            return this;
        }

        /** Opens the cache and starts listening; on failure nothing stays open. */
        public FunctionServer start() {
            if (name == null) {
                throw new IllegalArgumentException("name must be set (or FUNCTION_NAME): it is the function's cache namespace");
            }
            if (handlers.isEmpty()) {
                throw new IllegalArgumentException("at least one handler(route, handler) is needed");
            }
            FunctionCache cache = FunctionCaches.builder().url(cacheUrl).namespace(name).clock(clock).build();
            try {
                FunctionServer server = new FunctionServer(this, name, cache);
                server.app.start();
                server.port = server.app.port();
                server.log.info("function {} listening on port {} with cache {}", name, server.port(), cache);
                return server;
            } catch (RuntimeException e) {
                cache.close();
                throw e;
            }
        }
    }
}
