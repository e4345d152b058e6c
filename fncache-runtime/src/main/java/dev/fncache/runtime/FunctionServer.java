package dev.fncache.runtime;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * Hosts functions over HTTP: {@code GET} and {@code POST /ROUTE} call the route's handler with a
 * context whose {@code cache()} is the server's one {@link FunctionCache}. A Javalin application
 * made of fncache's plugins, which another Javalin application may mount one by one:
 * {@link RequestIdPlugin} (every response carries {@code X-Request-Id}, and log lines written
 * while a route runs carry it as the SLF4J MDC entry {@code requestId}), {@link HttpMetricsPlugin},
 * {@link HealthPlugin} ({@code GET /health}, {@code /health/live}, {@code /health/ready}), {@link PrometheusPlugin} ({@code GET /metrics}: the
 * cache's, the HTTP requests' and the JVM's meters) and, with a console token,
 * {@link ConsolePlugin} ({@code /_console}). What routes throw is answered by
 * {@link FunctionErrors}, registered once. Configured with {@link #builder()}.
 */
public final class FunctionServer implements AutoCloseable {
    /** The largest request body accepted; larger ones get 413. */
    public static final int MAX_BODY_BYTES = RequestBody.MAX_BYTES;
    private static final String ROUTE_METHODS = "GET, POST";

    private final HostedFunction function;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    /**
     * The function's store again, without statistics, for what is not the function's own work
     * (health probes, the console), so the metrics count only the function's calls.
     */
    private final FunctionCache operatorCache;
    private final Javalin app;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private int port;

    private FunctionServer(FunctionServerConfig settings, HostedFunction function, PrometheusMeterRegistry registry) {
        this.function = function;
        this.registry = registry;
        bindJvmMetrics(registry, gcMetrics);
        this.operatorCache = FunctionCaches.builder().url(settings.cacheUrl).namespace(function.name())
                .clock(settings.clock).build();
        try {
            this.app = Javalin.create(config -> configure(config, settings));
        } catch (RuntimeException e) {
            operatorCache.close();
            throw e;
        }
    }

    private void configure(JavalinConfig config, FunctionServerConfig settings) {
        config.startup.showJavalinBanner = false;
        config.http.maxRequestSize = MAX_BODY_BYTES;
        config.jetty.host = settings.host;
        config.jetty.port = settings.port;
        config.jetty.modifyServer(server -> {
            server.setStopTimeout(settings.shutdownTimeout.toMillis());
            server.insertHandler(new GracefulHandler());
            SlowClientGuard.install(server, settings.bodyTimeout, MAX_BODY_BYTES);
        });
        config.registerPlugin(new HttpMetricsPlugin(registry));
        config.registerPlugin(new RequestIdPlugin());
        config.registerPlugin(new HealthPlugin(function.name(), operatorCache, stopping::get));
        config.registerPlugin(new PrometheusPlugin(registry));
        if (settings.consoleToken != null) {
            config.registerPlugin(new ConsolePlugin(settings.consoleToken, function.name(), operatorCache, settings.cacheUrl,
                    registry, settings.clock));
        }
        settings.handlers.forEach((route, handler) -> {
            FunctionRoute dispatch = new FunctionRoute(function, handler);
            config.routes.get("/" + route, dispatch);
            config.routes.post("/" + route, dispatch);
            MethodRefusal.refuseOthers(config.routes, "/" + route, ROUTE_METHODS);
        });
        FunctionErrors.register(config.routes, function);
    }

    /** Builds and starts a server; on failure nothing stays open. */
    static FunctionServer start(FunctionServerConfig settings, HostedFunction function, PrometheusMeterRegistry registry) {
        FunctionServer server;
        try {
            server = new FunctionServer(settings, function, registry);
        } catch (RuntimeException e) {
            function.cache().close();
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
        function.log().info("function {} listening on port {} with cache {}", function.name(), server.port,
                function.cache());
        return server;
    }

    private static void bindJvmMetrics(MeterRegistry registry, JvmGcMetrics gcMetrics) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The settings of a server; {@link FunctionServerConfig#start()} opens the cache and starts listening. */
    public static FunctionServerConfig builder() {
        return new FunctionServerConfig();
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

    /** Closes the operator's cache, the function's cache and the meters. */
    private void closeResources() {
        operatorCache.close();
        function.cache().close();
        gcMetrics.close();
        registry.close();
    }
}
