package dev.fncache.runtime;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.micrometer.FunctionCacheMetrics;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.LoggerFactory;

/**
 * Hosts functions over HTTP: {@code GET} and {@code POST /ROUTE} call the route's handler with a
 * context whose {@code cache()} is the server's one {@link FunctionCache}; {@code GET /health}
 * answers 200 when the cache answers and 503 when it does not; {@code GET /metrics} serves the
 * cache's, the HTTP requests' and the JVM's meters in Prometheus text format. Every response
 * carries {@code X-Request-Id}, and log lines written while a route runs carry it as the SLF4J
 * MDC entry {@code requestId}. With a console token it also serves the cache console at
 * {@code /_console}. Configured in code or from {@code FNCACHE_URL}, {@code FUNCTION_NAME},
 * {@code HOST}, {@code PORT} and {@code FNCACHE_CONSOLE_TOKEN}.
 */
public final class FunctionServer implements AutoCloseable {
    /** The largest request body accepted; larger ones get 413. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private static final Pattern ROUTE = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final String ROUTE_METHODS = "GET, POST";
    private static final Set<String> RESERVED_ROUTES = Set.of("health", "metrics", "_console");
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** The shortest console token accepted on a server that listens beyond loopback. */
    static final int MIN_EXPOSED_TOKEN_LENGTH = 16;

    private final HostedFunction function;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;
    private final Console console;
    private final Javalin app;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private int port;

    private FunctionServer(Builder builder, HostedFunction function, PrometheusMeterRegistry registry) {
        this.function = function;
        this.registry = registry;
        this.gcMetrics = new JvmGcMetrics();
        bindJvmMetrics(registry, gcMetrics);
        Map<String, FunctionHandler> handlers = Map.copyOf(builder.handlers);
        Set<String> paths = new HashSet<>(Set.of("/health", "/metrics"));
        handlers.keySet().forEach(route -> paths.add("/" + route));
        this.console = builder.consoleToken == null ? null : new Console(builder.consoleToken, builder.clock, function,
                FunctionCaches.builder().url(builder.cacheUrl).namespace(function.name()).clock(builder.clock).build(),
                builder.cacheUrl, registry);
        if (console != null) {
            paths.addAll(Console.paths());
        }
        HttpMetrics httpMetrics = new HttpMetrics(registry, paths);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.jetty.host = builder.host;
            config.jetty.port = builder.port;
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(builder.shutdownTimeout.toMillis());
                server.insertHandler(new GracefulHandler());
                SlowClientGuard.install(server, builder.bodyTimeout, MAX_BODY_BYTES);
            });
            config.routes.before(ctx -> {
                httpMetrics.start(ctx);
                RequestIds.assign(ctx);
            });
            config.routes.after(httpMetrics::record);
            config.routes.get("/health", new HealthCheck(function, stopping));
            refuseOtherMethods(config, "/health", "GET");
            config.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()));
            refuseOtherMethods(config, "/metrics", "GET");
            if (console != null) {
                console.register(config);
            }
            handlers.forEach((route, handler) -> {
                FunctionRoute dispatch = new FunctionRoute(function, handler);
                config.routes.get("/" + route, dispatch);
                config.routes.post("/" + route, dispatch);
                refuseOtherMethods(config, "/" + route, ROUTE_METHODS);
            });
            config.routes.error(404, "*", ctx -> {
                if (ctx.attribute(FunctionRoute.HANDLED) == null) {
                    Responses.error(ctx, 404, "no function answers " + ctx.method() + " " + ctx.path());
                }
            });
        });
    }

    private static void bindJvmMetrics(MeterRegistry registry, JvmGcMetrics gcMetrics) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** A known path asked with a method it does not serve: 405 with the methods it does. */
    private static void refuseOtherMethods(JavalinConfig config, String path, String allowed) {
        Handler refuse = ctx -> methodNotAllowed(ctx, allowed);
        if (!allowed.contains("POST")) {
            config.routes.post(path, refuse);
        }
        config.routes.put(path, refuse);
        config.routes.patch(path, refuse);
        config.routes.delete(path, refuse);
    }

    private static void methodNotAllowed(Context ctx, String allowed) {
        ctx.header("Allow", allowed);
        Responses.error(ctx, 405, ctx.method() + " " + ctx.path() + " is not served; use " + allowed);
    }

    /** A builder; {@link Builder#start()} opens the cache and starts listening. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on, or listened on once closed (useful after {@code port(0)}). */
    public int port() {
        return port;
    }

    /**
     * The registry {@code /metrics} serves: the cache's meters ({@code cache.*},
     * {@code fncache.operation}), {@code http.server.requests} and the JVM's; a function may add
     * its own.
     */
    public MeterRegistry meterRegistry() {
        return registry;
    }

    /** The function's name and cache namespace. */
    public String name() {
        return function.name();
    }

    /** Closes this server when the JVM is asked to stop (SIGTERM, SIGINT). */
    public FunctionServer closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "fncache-shutdown"));
        return this;
    }

    /**
     * Stops gracefully (Jetty's graceful stop): stops accepting connections, answers new requests
     * on open connections 503, lets in-flight requests finish for up to the shutdown timeout,
     * stops the server, then closes the cache. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopping.set(true);
        app.stop();
        closeResources();
        function.log().info("function {} stopped; cache closed", function.name());
    }

    /** Closes the console's cache, the function's cache and the meters. */
    private void closeResources() {
        if (console != null) {
            console.close();
        }
        function.cache().close();
        gcMetrics.close();
        registry.close();
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
        private String consoleToken;
        private boolean useEnvironment;
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

        /**
         * The address to listen on (or {@code HOST}): default {@code 0.0.0.0}, every interface, as
         * a container needs; {@code 127.0.0.1} serves only this host.
         */
        public Builder host(String host) {
            if (host == null || host.isBlank() || !host.strip().equals(host)) {
                throw new IllegalArgumentException("host must be an address to listen on such as 0.0.0.0 or 127.0.0.1, but was "
                        + (host == null ? "null" : "'" + host + "'"));
            }
            this.host = host;
            return this;
        }

        private boolean loopbackOnly() {
            return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
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

        /**
         * Serves the cache console at {@code /_console}, opened once with
         * {@code /_console?token=TOKEN}; without a token (the default) the console is not served
         * at all. Anyone with the token can read and change the cache: use a long random one. A
         * server that listens beyond loopback refuses to start with a token under
         * {@value #MIN_EXPOSED_TOKEN_LENGTH} characters.
         */
        public Builder consoleToken(String token) {
            if (token == null || token.isBlank() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("consoleToken must be printable ASCII without spaces, "
                        + (token == null ? "but was null" : "but was " + token.length() + " characters that are not"));
            }
            this.consoleToken = token;
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
            if (RESERVED_ROUTES.contains(route)) {
                throw new IllegalArgumentException("route '" + route + "' is the runtime's own; use another name");
            }
            if (handler == null) {
                throw new IllegalArgumentException("handler for route '" + route + "' must not be null");
            }
            if (handlers.putIfAbsent(route, handler) != null) {
                throw new IllegalArgumentException("route '" + route + "' already has a handler");
            }
            return this;
        }

        /**
         * Takes {@code FNCACHE_URL}, {@code FUNCTION_NAME}, {@code HOST}, {@code PORT} and
         * {@code FNCACHE_CONSOLE_TOKEN} from the environment
         * where they are set, over the builder's own values. The environment is read by
         * {@link #start()}, so the order of builder calls does not matter.
         */
        public Builder fromEnvironment() {
            this.useEnvironment = true;
            return this;
        }

        private void applyEnvironment() {
            String url = environment.get("FNCACHE_URL");
            if (url != null && !url.isBlank()) {
                cacheUrl(url);
            }
            String functionName = environment.get("FUNCTION_NAME");
            if (functionName != null && !functionName.isBlank()) {
                name(functionName);
            }
            String console = environment.get("FNCACHE_CONSOLE_TOKEN");
            if (console != null && !console.isBlank()) {
                consoleToken(console.strip());
            }
            String hostText = environment.get("HOST");
            if (hostText != null && !hostText.isBlank()) {
                host(hostText.strip());
            }
            String portText = environment.get("PORT");
            if (portText != null && !portText.isBlank()) {
                try {
                    port(Integer.parseInt(portText.strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("PORT must be a number between 0 and 65535, but was '" + portText + "'");
                }
            }
        }

        /** Opens the cache and starts listening; on failure nothing stays open. */
        public FunctionServer start() {
            if (useEnvironment) {
                applyEnvironment();
            }
            if (name == null) {
                throw new IllegalArgumentException("name must be set (or FUNCTION_NAME): it is the function's cache namespace");
            }
            if (handlers.isEmpty()) {
                throw new IllegalArgumentException("at least one handler(route, handler) is needed");
            }
            if (consoleToken != null && consoleToken.length() < MIN_EXPOSED_TOKEN_LENGTH && !loopbackOnly()) {
                throw new IllegalArgumentException("consoleToken must be at least " + MIN_EXPOSED_TOKEN_LENGTH
                        + " characters when the server listens beyond loopback (host " + host + "), but was "
                        + consoleToken.length() + "; use a long random one (openssl rand -hex 16), or HOST=127.0.0.1");
            }
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            FunctionCache cache;
            try {
                cache = FunctionCaches.builder().url(cacheUrl).namespace(name).clock(clock)
                        .stats(FunctionCacheMetrics.recorder(registry)).build();
            } catch (RuntimeException e) {
                registry.close();
                throw e;
            }
            HostedFunction function = new HostedFunction(name, cache, environment,
                    LoggerFactory.getLogger("fncache.function." + name));
            FunctionServer server;
            try {
                server = new FunctionServer(this, function, registry);
            } catch (RuntimeException e) {
                cache.close();
                registry.close();
                throw e;
            }
            try {
                server.app.start();
            } catch (RuntimeException e) {
                server.closeResources();
                throw e;
            }
            server.port = server.app.port();
            function.log().info("function {} listening on port {} with cache {}", name, server.port(), cache);
            return server;
        }
    }
}
