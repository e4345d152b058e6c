package dev.fncache.runtime;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.micrometer.FunctionCacheMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * A {@link FunctionServer}'s settings, from {@link FunctionServer#builder()}: in code, or from
 * {@code FNCACHE_URL}, {@code FUNCTION_NAME}, {@code HOST}, {@code PORT} and
 * {@code FNCACHE_CONSOLE_TOKEN} with {@link #fromEnvironment()}. The name and at least one handler
 * are required; {@link #start()} opens the cache and starts listening.
 */
public final class FunctionServerConfig {
    private static final Pattern ROUTE = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final Set<String> RESERVED_ROUTES = Set.of("health", "metrics", "_console");
    /** The shortest console token accepted on a server that listens beyond loopback. */
    static final int MIN_EXPOSED_TOKEN_LENGTH = 16;

    String name;
    String cacheUrl = FunctionCaches.DEFAULT_URL;
    String host = "0.0.0.0";
    int port = 8080;
    Clock clock = Clock.systemUTC();
    Duration shutdownTimeout = Duration.ofSeconds(10);
    Duration bodyTimeout = Duration.ofSeconds(10);
    Map<String, String> environment = System.getenv();
    String consoleToken;
    private boolean useEnvironment;
    final Map<String, FunctionHandler> handlers = new LinkedHashMap<>();

    FunctionServerConfig() {
    }

    /** The function's name: its cache namespace, 1 to 64 of {@code A-Z a-z 0-9 . _ -}. */
    public FunctionServerConfig name(String name) {
        this.name = name;
        return this;
    }

    /** The cache URL; default {@code memory:}. */
    public FunctionServerConfig cacheUrl(String cacheUrl) {
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
    public FunctionServerConfig host(String host) {
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
    public FunctionServerConfig port(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, but was " + port);
        }
        this.port = port;
        return this;
    }

    /** The cache's clock (memory and sqlite), for tests. */
    public FunctionServerConfig clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** How long {@link FunctionServer#close()} waits for in-flight requests; default 10 s. */
    public FunctionServerConfig shutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
        return this;
    }

    /**
     * How long a request's body may take to arrive, 100 ms to 10 minutes; default 10 s. Bodies
     * are read without holding a thread, and one that is not in by then is answered 408, so
     * slow or stalled clients cannot take the server's threads.
     */
    public FunctionServerConfig bodyTimeout(Duration bodyTimeout) {
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
    public FunctionServerConfig consoleToken(String token) {
        if (token == null || token.isBlank() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("consoleToken must be printable ASCII without spaces, "
                    + (token == null ? "but was null" : "but was " + token.length() + " characters that are not"));
        }
        this.consoleToken = token;
        return this;
    }

    /** The variables {@link FunctionContext#env} reads; default the process environment. */
    public FunctionServerConfig environment(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        return this;
    }

    /** Serves {@code GET} and {@code POST /route} with {@code handler}. */
    public FunctionServerConfig handler(String route, FunctionHandler handler) {
        if (route == null || !ROUTE.matcher(route).matches()) {
            throw new IllegalArgumentException("route must be path segments of A-Z a-z 0-9 . _ - such as 'ice' or "
                    + "'calls/status', without a leading slash, but was " + (route == null ? "null" : "'" + route + "'"));
        }
        if (RESERVED_ROUTES.contains(route.split("/")[0])) {
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
    public FunctionServerConfig fromEnvironment() {
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
        return FunctionServer.start(this, function, registry);
    }
}
