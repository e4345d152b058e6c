package dev.fncache.redis;

import dev.fncache.spi.CacheUrl;
import dev.fncache.support.MessageText;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed Redis URL: {@code redis://} and {@code rediss://} for one server (Lettuce's URI
 * syntax, database and TLS included), {@code redis-cluster://} for seed nodes of a cluster.
 * Every form takes {@code ?timeout=2s} (or {@code 500ms}), the command timeout; default 2 s. One
 * server also takes Lettuce's {@code database} (or {@code db}), {@code clientName} and
 * {@code verifyPeer}; any other option is refused, so a misspelled one never goes unnoticed.
 *
 * @param nodes    one URI for a server, the seed nodes for a cluster
 * @param cluster  whether to connect as a cluster client
 * @param timeout  how long one command may take before it fails
 * @param redacted the URL without its password, for messages
 */
record RedisLocation(List<RedisURI> nodes, boolean cluster, Duration timeout, String redacted) {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private static final Pattern TIMEOUT = Pattern.compile("(\\d{1,9})(ms|s)?");
    /** The query options of each form: fncache's timeout, and for one server what Lettuce reads. */
    private static final List<String> SERVER_OPTIONS = List.of("timeout", "database", "db", "clientName", "verifyPeer");
    private static final List<String> CLUSTER_OPTIONS = List.of("timeout");
    private static final Pattern CLUSTER = Pattern.compile("//([^/?@]+)/?(?:\\?(.*))?");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^\\]]+\\]|[^:\\[\\]]+):(\\d{1,5})");

    static RedisLocation parse(CacheUrl url) {
        String query = queryOf(url.restWithoutUserInfo());
        Duration timeout = timeout(url, options(url, query,
                url.scheme().equals("redis-cluster") ? CLUSTER_OPTIONS : SERVER_OPTIONS).get("timeout"));
        if (url.scheme().equals("redis-cluster")) {
            return new RedisLocation(clusterNodes(url, timeout), true, timeout, url.toString());
        }
        RedisURI uri;
        try {
            uri = RedisURI.create(url.scheme() + ":" + url.restWithoutUserInfo());
        } catch (RuntimeException e) {
            throw invalid(url, "redis://[USER[:PASSWORD]@]HOST[:PORT][/DB] or rediss://..., "
                    + "but it could not be parsed (" + e.getClass().getSimpleName() + ")");
        }
        if (url.user() != null) {
            uri.setAuthentication(url.user(), url.password() == null ? "" : url.password());
        } else if (url.password() != null) {
            uri.setAuthentication(url.password());
        }
        uri.setTimeout(timeout);
        return new RedisLocation(List.of(uri), false, timeout, url.toString());
    }

    private static List<RedisURI> clusterNodes(CacheUrl url, Duration timeout) {
        Matcher parts = CLUSTER.matcher(url.restWithoutUserInfo());
        if (!parts.matches()) {
            throw invalid(url, "redis-cluster://[USER[:PASSWORD]@]HOST:PORT[,HOST:PORT...]");
        }
        String user = url.user();
        String password = url.password();
        List<RedisURI> nodes = new ArrayList<>();
        for (String node : parts.group(1).split(",")) {
            Matcher hostPort = HOST_PORT.matcher(node.strip());
            if (!hostPort.matches() || Integer.parseInt(hostPort.group(2)) > 65_535) {
                throw invalid(url, "redis-cluster://[USER[:PASSWORD]@]HOST:PORT[,HOST:PORT...] with a port on every "
                        + "node, but a node was " + MessageText.quoted(node));
            }
            RedisURI.Builder builder = RedisURI.builder()
                    .withHost(hostPort.group(1).replace("[", "").replace("]", ""))
                    .withPort(Integer.parseInt(hostPort.group(2)))
                    .withTimeout(timeout);
            if (user != null) {
                builder.withAuthentication(user, password == null ? "" : password);
            } else if (password != null) {
                builder.withPassword(password.toCharArray());
            }
            nodes.add(builder.build());
        }
        return nodes;
    }

    private static String queryOf(String rest) {
        int question = rest.indexOf('?');
        return question < 0 ? "" : rest.substring(question + 1);
    }

    /** The query's options by name; an unknown or repeated one is refused, naming the valid ones. */
    private static java.util.Map<String, String> options(CacheUrl url, String query, List<String> valid) {
        java.util.Map<String, String> options = new java.util.HashMap<>();
        if (query.isEmpty()) {
            return options;
        }
        for (String option : query.split("&", -1)) {
            int equals = option.indexOf('=');
            String name = equals < 0 ? option : option.substring(0, equals);
            if (!valid.contains(name)) {
                throw new IllegalArgumentException("url option " + MessageText.quoted(name) + " is unknown; the options of "
                        + url.scheme() + ":// are " + String.join(", ", valid) + " (url was "
                        + MessageText.quoted(url.toString()) + ")");
            }
            if (options.put(name, equals < 0 ? "" : option.substring(equals + 1)) != null) {
                throw new IllegalArgumentException("url option " + name + " must be given once, but was given twice (url was "
                        + MessageText.quoted(url.toString()) + ")");
            }
        }
        return options;
    }

    private static Duration timeout(CacheUrl url, String value) {
        if (value == null) {
            return DEFAULT_TIMEOUT;
        }
        Matcher matcher = TIMEOUT.matcher(value);
        Duration timeout = null;
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            timeout = "ms".equals(matcher.group(2)) ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
        }
        if (timeout == null || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("url option timeout must be a whole number of ms or s from 1 ms to 10 "
                    + "minutes, such as timeout=2s or timeout=500ms, but was " + MessageText.quoted(value) + " (url was "
                    + MessageText.quoted(url.toString()) + ")");
        }
        return timeout;
    }

    private static IllegalArgumentException invalid(CacheUrl url, String rule) {
        return new IllegalArgumentException("url must be " + rule + " (url was " + MessageText.quoted(url.toString()) + ")");
    }

    @Override
    public String toString() {
        return redacted;
    }
}
