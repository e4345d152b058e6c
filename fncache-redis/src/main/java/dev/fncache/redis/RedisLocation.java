package dev.fncache.redis;

import dev.fncache.spi.CacheUrl;
import dev.fncache.spi.NearCacheBounds;
import dev.fncache.support.MessageText;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StaticCredentialsProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed Redis URL: {@code redis://} and {@code rediss://} for one server (Lettuce's URI
 * syntax, database and TLS included), {@code redis-cluster://} for seed nodes of a cluster,
 * {@code redis-sentinel://HOST:PORT[,HOST:PORT...]?master=NAME} for the master that Redis
 * Sentinels at those addresses name (the URL's user and password are the data nodes'; the
 * sentinels are asked with {@code sentinelUser} and {@code sentinelPassword} when given, else
 * without). Every form takes {@code ?timeout=2s} (or {@code 500ms}), the command timeout, default
 * 2 s, {@code replicaAcks=N} with {@code replicaAckTimeout} (see {@link ReplicaAcks}), and
 * {@code nearCache=MAX_ENTRIES} with {@code nearCacheBytes} (see {@link #nearCache}). One
 * server also takes Lettuce's {@code database} (or {@code db}), {@code clientName} and
 * {@code verifyPeer}; any other option is refused, so a misspelled one never goes unnoticed.
 *
 * @param nodes       one URI for a server, the seed nodes for a cluster
 * @param cluster     whether to connect as a cluster client
 * @param timeout     how long one command may take before it fails
 * @param replicaAcks how many replicas must have each write before it is acknowledged
 * @param nearCache   the bounds of each namespace's near cache ({@link NearCachedStore}), null for none:
 *                    {@code nearCache=MAX_ENTRIES} (1 to 10,000,000) and {@code nearCacheBytes}
 *                    (1,024 to 2^40, default 64 MiB)
 * @param redacted    the URL without its passwords, for messages
 */
record RedisLocation(List<RedisURI> nodes, boolean cluster, Duration timeout, ReplicaAcks replicaAcks,
        @org.jspecify.annotations.Nullable NearCacheBounds nearCache, String redacted) {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    static final int MAX_REPLICA_ACKS = 16;

    /**
     * {@code ?replicaAcks=N}: every write that changes entries waits (Redis {@code WAIT}) until N
     * replicas have it, at most {@code replicaAckTimeout} (default half the command timeout), and
     * fails with an outcome-unknown {@code CacheUnavailableException} when fewer did. Off (0) by
     * default: Redis replicates asynchronously, so a write acknowledged just before its master
     * dies may be missing from the replica that takes over.
     */
    record ReplicaAcks(int replicas, Duration timeout) {
        static final ReplicaAcks NONE = new ReplicaAcks(0, Duration.ZERO);

        boolean enabled() {
            return replicas > 0;
        }
    }

    private static final Pattern TIMEOUT = Pattern.compile("(\\d{1,9})(ms|s)?");
    /** The query options of each form: fncache's timeout, and for one server what Lettuce reads. */
    private static final List<String> SERVER_OPTIONS = List.of("timeout", "replicaAcks", "replicaAckTimeout", "nearCache", "nearCacheBytes", "database",
            "db", "clientName", "verifyPeer");
    private static final List<String> CLUSTER_OPTIONS = List.of("timeout", "replicaAcks", "replicaAckTimeout", "nearCache", "nearCacheBytes");
    private static final List<String> SENTINEL_OPTIONS = List.of("timeout", "replicaAcks", "replicaAckTimeout", "nearCache", "nearCacheBytes", "master",
            "sentinelUser", "sentinelPassword");
    /** fncache's own options, which Lettuce must not see. */
    private static final List<String> FNCACHE_OPTIONS = List.of("replicaAcks", "replicaAckTimeout", "nearCache", "nearCacheBytes");
    private static final Pattern MASTER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern CLUSTER = Pattern.compile("//([^/?@]+)/?(?:\\?(.*))?");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^\\]]+\\]|[^:\\[\\]]+):(\\d{1,5})");

    static RedisLocation parse(CacheUrl url) {
        String query = queryOf(url.restWithoutUserInfo());
        java.util.Map<String, String> options = options(url, query, switch (url.scheme()) {
            case "redis-cluster" -> CLUSTER_OPTIONS;
            case "redis-sentinel" -> SENTINEL_OPTIONS;
            default -> SERVER_OPTIONS;
        });
        Duration timeout = duration(url, "timeout", options.get("timeout"), Duration.ofMinutes(10), DEFAULT_TIMEOUT);
        ReplicaAcks replicaAcks = replicaAcks(url, options, timeout);
        NearCacheBounds nearCache = nearCache(url, options);
        if (url.scheme().equals("redis-cluster")) {
            return new RedisLocation(nodes(url, timeout), true, timeout, replicaAcks, nearCache, url.toString());
        }
        if (url.scheme().equals("redis-sentinel")) {
            return new RedisLocation(List.of(sentinelUri(url, timeout, options)), false, timeout, replicaAcks,
                    nearCache, url.toString());
        }
        RedisURI uri;
        try {
            uri = RedisURI.create(url.scheme() + ":" + withoutOptions(url.restWithoutUserInfo(), FNCACHE_OPTIONS));
        } catch (RuntimeException e) {
            throw invalid(url, "redis://[USER[:PASSWORD]@]HOST[:PORT][/DB] or rediss://..., "
                    + "but it could not be parsed (" + e.getClass().getSimpleName() + ")");
        }
        if (url.user() != null || url.password() != null) {
            // a credentials provider, not setAuthentication: Lettuce 6 (Spring Boot 4.0's) has only this
            uri.setCredentialsProvider(new StaticCredentialsProvider(url.user(),
                    (url.password() == null ? "" : url.password()).toCharArray()));
        }
        uri.setTimeout(timeout);
        return new RedisLocation(List.of(uri), false, timeout, replicaAcks, nearCache, url.toString());
    }

    private static @org.jspecify.annotations.Nullable NearCacheBounds nearCache(CacheUrl url,
            java.util.Map<String, String> options) {
        String entries = options.get("nearCache");
        String bytes = options.get("nearCacheBytes");
        if (entries == null) {
            if (bytes != null) {
                throw new IllegalArgumentException("url option nearCacheBytes applies only with nearCache=MAX_ENTRIES, "
                        + "but nearCache was not given (url was " + MessageText.quoted(url.toString()) + ")");
            }
            return null;
        }
        if (!entries.matches("\\d{1,8}") || Long.parseLong(entries) < 1 || Long.parseLong(entries) > NearCacheBounds.MAX_ENTRIES) {
            throw new IllegalArgumentException("url option nearCache must be a whole number of entries from 1 to "
                    + NearCacheBounds.MAX_ENTRIES + ", but was " + MessageText.quoted(entries) + " (url was "
                    + MessageText.quoted(url.toString()) + ")");
        }
        long maxBytes = NearCacheBounds.DEFAULT_BYTES;
        if (bytes != null) {
            if (!bytes.matches("\\d{1,13}") || Long.parseLong(bytes) < NearCacheBounds.MIN_BYTES || Long.parseLong(bytes) > NearCacheBounds.MAX_BYTES) {
                throw new IllegalArgumentException("url option nearCacheBytes must be a whole number of bytes from "
                        + NearCacheBounds.MIN_BYTES + " to " + NearCacheBounds.MAX_BYTES + ", but was " + MessageText.quoted(bytes) + " (url was "
                        + MessageText.quoted(url.toString()) + ")");
            }
            maxBytes = Long.parseLong(bytes);
        }
        return new NearCacheBounds(Integer.parseInt(entries), maxBytes);
    }

    private static ReplicaAcks replicaAcks(CacheUrl url, java.util.Map<String, String> options, Duration timeout) {
        String replicas = options.get("replicaAcks");
        String ackTimeout = options.get("replicaAckTimeout");
        if (replicas == null) {
            if (ackTimeout != null) {
                throw new IllegalArgumentException("url option replicaAckTimeout applies only with replicaAcks=N, but "
                        + "replicaAcks was not given (url was " + MessageText.quoted(url.toString()) + ")");
            }
            return ReplicaAcks.NONE;
        }
        if (!replicas.matches("\\d{1,2}") || Integer.parseInt(replicas) > MAX_REPLICA_ACKS) {
            throw new IllegalArgumentException("url option replicaAcks must be a whole number of replicas from 0 to "
                    + MAX_REPLICA_ACKS + ", but was " + MessageText.quoted(replicas) + " (url was "
                    + MessageText.quoted(url.toString()) + ")");
        }
        Duration wait = duration(url, "replicaAckTimeout", ackTimeout, timeout.minusMillis(1), timeout.dividedBy(2));
        if (wait.isZero()) {
            wait = Duration.ofMillis(1);
        }
        int count = Integer.parseInt(replicas);
        return count == 0 ? ReplicaAcks.NONE : new ReplicaAcks(count, wait);
    }

    /** One URI that finds the master {@code master} names through the sentinels of the URL. */
    private static RedisURI sentinelUri(CacheUrl url, Duration timeout, java.util.Map<String, String> options) {
        String master = options.get("master");
        if (master == null || !MASTER_NAME.matcher(master).matches()) {
            throw invalid(url, "redis-sentinel://[USER[:PASSWORD]@]HOST:PORT[,HOST:PORT...]?master=NAME, with the "
                    + "master's name as the sentinels know it (1 to 64 of A-Z a-z 0-9 . _ -), but master was "
                    + (master == null ? "missing" : MessageText.quoted(master)));
        }
        String sentinelUser = options.get("sentinelUser");
        String sentinelPassword = options.get("sentinelPassword") == null ? null
                : CacheUrl.percentDecoded("sentinelPassword", options.get("sentinelPassword"), url);
        if (sentinelUser != null && sentinelPassword == null) {
            throw new IllegalArgumentException("url option sentinelUser needs sentinelPassword too, but only "
                    + "sentinelUser was given (url was " + MessageText.quoted(url.toString()) + ")");
        }
        RedisURI.Builder builder = RedisURI.builder().withSentinelMasterId(master).withTimeout(timeout);
        for (RedisURI node : nodes(url, timeout)) {
            RedisURI.Builder sentinel = RedisURI.builder().withHost(node.getHost()).withPort(node.getPort())
                    .withTimeout(timeout);
            if (sentinelUser != null) {
                sentinel.withAuthentication(sentinelUser, sentinelPassword);
            } else if (sentinelPassword != null) {
                sentinel.withPassword(sentinelPassword.toCharArray());
            }
            builder.withSentinel(sentinel.build());
        }
        if (url.user() != null) {
            builder.withAuthentication(url.user(), url.password() == null ? "" : url.password());
        } else if (url.password() != null) {
            builder.withPassword(url.password().toCharArray());
        }
        return builder.build();
    }

    /** The HOST:PORT list of a cluster's seed nodes or a set of sentinels, with the URL's credentials. */
    private static List<RedisURI> nodes(CacheUrl url, Duration timeout) {
        String form = url.scheme() + "://[USER[:PASSWORD]@]HOST:PORT[,HOST:PORT...]";
        Matcher parts = CLUSTER.matcher(url.restWithoutUserInfo());
        if (!parts.matches()) {
            throw invalid(url, form);
        }
        String user = url.user();
        String password = url.password();
        List<RedisURI> nodes = new ArrayList<>();
        for (String node : parts.group(1).split(",")) {
            Matcher hostPort = HOST_PORT.matcher(node.strip());
            if (!hostPort.matches() || Integer.parseInt(hostPort.group(2)) > 65_535) {
                throw invalid(url, form + " with a port on every node, but a node was " + MessageText.quoted(node));
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

    /** {@code rest} without the named query options. */
    private static String withoutOptions(String rest, List<String> names) {
        int question = rest.indexOf('?');
        if (question < 0) {
            return rest;
        }
        List<String> kept = new ArrayList<>();
        for (String option : rest.substring(question + 1).split("&", -1)) {
            int equals = option.indexOf('=');
            if (!names.contains(equals < 0 ? option : option.substring(0, equals))) {
                kept.add(option);
            }
        }
        return rest.substring(0, question) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
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

    /** A duration option: a whole number of ms or s from 1 ms to {@code max}; {@code fallback} when absent. */
    private static Duration duration(CacheUrl url, String name, String value, Duration max, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        Matcher matcher = TIMEOUT.matcher(value);
        Duration duration = null;
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            duration = "ms".equals(matcher.group(2)) ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
        }
        if (duration == null || duration.isZero() || duration.compareTo(max) > 0) {
            throw new IllegalArgumentException("url option " + name + " must be a whole number of ms or s from 1 ms to "
                    + describe(max) + ", such as " + name + "=2s or " + name + "=500ms, but was "
                    + MessageText.quoted(value) + " (url was " + MessageText.quoted(url.toString()) + ")");
        }
        return duration;
    }

    private static String describe(Duration max) {
        return max.toMillis() % 60_000 == 0 ? max.toMinutes() + " minutes"
                : max.toMillis() + " ms (" + (max.toMillis() + 1) + " ms is the command timeout, which it must stay under)";
    }

    private static IllegalArgumentException invalid(CacheUrl url, String rule) {
        return new IllegalArgumentException("url must be " + rule + " (url was " + MessageText.quoted(url.toString()) + ")");
    }

    @Override
    public String toString() {
        return redacted;
    }
}
