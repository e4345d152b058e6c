package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fncache.CacheUnavailableException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.FlushMode;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Isolation enforced by Redis itself: with the users deploy/redis/fncache-acl-user makes, one
 * function's credentials cannot read, list, delete or watch another's keys, even with raw commands,
 * nor run their own Lua or manage the server's function libraries; every cache operation works.
 */
@Tag("real-process")
class RedisAclIsolationTest {
    private static RedisServerProcess server;
    private static RedisClient rawClient;
    private static StatefulRedisConnection<String, String> rawAsA;

    @BeforeAll
    static void startServerWithTwoFunctionUsers() throws Exception {
        RedisServerProcess.requireRedisServer();
        java.nio.file.Path directory = Files.createTempDirectory("fncache-acl");
        server = RedisServerProcess.start("--aclfile", DeployRecipe.aclFile(directory, "alpha", "beta").toString());
        rawClient = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withAuthentication("fn-alpha", "alpha-pw").build());
        rawAsA = rawClient.connect();
        assertThat(DeployRecipe.loadLibrary(server)).contains("loaded the Redis function library fncache_v6");
    }

    @AfterAll
    static void stop() throws Exception {
        if (rawAsA != null) {
            rawAsA.close();
            rawClient.shutdown();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String url(String user) {
        return "redis://fn-" + user + ":" + user + "-pw@127.0.0.1:" + server.port();
    }

    @Test
    void eachFunctionUsesItsOwnNamespaceThroughTheCache() {
        try (FunctionCache a = FunctionCaches.open(url("alpha"), "alpha"); FunctionCache b = FunctionCaches.open(url("beta"), "beta")) {
            a.set("k", "a's value");
            b.set("k", "b's value");
            a.increment("n", 1, 60);
            assertThat(a.keys()).containsExactly("k", "n");
            assertThat(a.getMany(List.of("k", "n"), Object.class)).hasSize(2);
            assertThat(a.extend("k", 10)).isTrue();
            assertThat(a.delete("n")).isTrue();
            assertThat(b.get("k", String.class)).isEqualTo("b's value");
        }
    }

    @Test
    void aCacheOpenedWithAnotherFunctionsNamespaceIsRefusedByTheServer() {
        try (FunctionCache intruder = FunctionCaches.open(url("alpha"), "beta")) {
            assertThatThrownBy(() -> intruder.get("k", String.class))
                    .isInstanceOf(CacheUnavailableException.class)
                    .hasMessageContaining("ACL denies")
                    .hasMessageNotContaining("alpha-pw");
            assertThatThrownBy(intruder::keys).isInstanceOf(CacheUnavailableException.class);
            assertThatThrownBy(() -> intruder.delete("k")).isInstanceOf(CacheUnavailableException.class);
        }
    }

    @Test
    void rawCommandsWithACredentialsCannotReadListOrDeleteBsKeys() {
        try (FunctionCache b = FunctionCaches.open(url("beta"), "beta")) {
            b.set("secret", "b's secret");
        }
        RedisCommands<String, String> asA = rawAsA.sync();
        List<Executable> attempts = List.of(
                () -> asA.get("fncache:{beta}:v:secret"),
                () -> asA.del("fncache:{beta}:v:secret"),
                () -> asA.zrange("fncache:{beta}:index", 0, -1),
                () -> asA.keys("*"),
                () -> asA.scan(),
                () -> asA.randomkey(),
                () -> asA.dbsize(),
                () -> asA.flushall(),
                () -> asA.eval("return redis.call('GET', KEYS[1])", ScriptOutputType.VALUE, "fncache:{beta}:v:secret"),
                () -> asA.eval("return redis.call('GET', 'fncache:{beta}:v:secret')", ScriptOutputType.VALUE),
                () -> asA.configSet("aclfile", "/tmp/x"),
                () -> asA.aclSetuser("fn-alpha", io.lettuce.core.AclSetuserArgs.Builder.allKeys()));
        for (Executable attempt : attempts) {
            assertThatThrownBy(attempt::execute).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageMatching("(?s).*(NOPERM|can't access at least one of the keys).*");
        }
        try (FunctionCache b = FunctionCaches.open(url("beta"), "beta")) {
            assertThat(b.get("secret", String.class)).isEqualTo("b's secret");
        }
    }

    @Test
    void everyCacheOperationWorksThroughATenantUrlWithTheLibraryTheRecipeLoaded() {
        try (FunctionCache a = FunctionCaches.open(url("alpha"), "alpha")) {
            a.set("every:session:CA1", "+4670", 600);
            assertThat(a.setIfAbsent("every:lock:CA1", "worker-1", 30)).isTrue();
            assertThat(a.setIfAbsent("every:lock:CA1", "worker-2", 30)).isFalse();
            assertThat(a.get("every:session:CA1", String.class)).isEqualTo("+4670");
            assertThat(a.getMany(List.of("every:session:CA1", "every:lock:CA1"), String.class)).hasSize(2);
            assertThat(a.has("every:lock:CA1")).isTrue();
            assertThat(a.ttl("every:session:CA1")).isPositive();
            assertThat(a.extend("every:session:CA1", 60)).isTrue();
            assertThat(a.increment("every:sms-count:+4670", 2, 3600)).isEqualTo(2);
            assertThat(a.getOrSet("every:customer:+4670", String.class, 300, () -> "Alice")).isEqualTo("Alice");
            assertThat(a.keys("every:*")).containsExactly("every:customer:+4670", "every:lock:CA1", "every:session:CA1", "every:sms-count:+4670");
            assertThat(a.delete("every:lock:CA1")).isTrue();
            assertThat(a.keys("every:lock:*")).isEmpty();
            a.keys("every:*").forEach(a::delete);
        }
    }

    @Test
    void tenantCannotTrackOtherTenantsKeyNames() {
        RedisCommands<String, String> asA = rawAsA.sync();
        assertThatThrownBy(() -> asA.clientTracking(TrackingArgs.Builder.enabled().bcast()))
                .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOPERM");
        assertThatThrownBy(() -> asA.clientTracking(TrackingArgs.Builder.enabled()))
                .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOPERM");
        assertThatThrownBy(asA::clientList).hasMessageStartingWith("NOPERM");
    }

    @Test
    void tenantHearsOnlyItsOwnNamespacesChangesAndItsNearCacheWorks() throws Exception {
        StatefulRedisPubSubConnection<String, String> listener = rawClient.connectPubSub();
        try {
            assertThatThrownBy(() -> listener.sync().ssubscribe("fncache:{beta}:changes"))
                    .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOPERM");
            assertThatThrownBy(() -> listener.sync().subscribe("fncache:{beta}:changes"))
                    .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOPERM");
            assertThatThrownBy(() -> listener.sync().psubscribe("*"))
                    .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOPERM");
            assertThatThrownBy(() -> rawAsA.sync().spublish("fncache:{beta}:changes", "k"))
                    .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("NOPERM");
            List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
            listener.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void smessage(String channel, String message) {
                    heard.add(channel + " " + message);
                }
            });
            listener.sync().ssubscribe("fncache:{alpha}:changes");
            try (FunctionCache a = FunctionCaches.open(url("alpha") + "?nearCache=100", "alpha");
                    FunctionCache otherA = FunctionCaches.open(url("alpha"), "alpha");
                    FunctionCache b = FunctionCaches.open(url("beta") + "?nearCache=100", "beta")) {
                b.set("beta-secret-key", "b's value");
                b.setMany(java.util.Map.of("beta-secret-many", 1), java.time.Duration.ofMinutes(1));
                otherA.set("alpha-key", "first");
                for (int i = 0; i < 20; i++) {
                    assertThat(a.get("alpha-key", String.class)).isEqualTo("first");
                    Thread.sleep(2);
                }
                otherA.set("alpha-key", "second");
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(NearCache.STALE_MILLIS);
                while (!"second".equals(a.get("alpha-key", String.class))) {
                    assertThat(System.nanoTime()).isLessThan(deadline);
                }
                b.delete("beta-secret-key");
                b.delete("beta-secret-many");
                otherA.delete("alpha-key");
                Thread.sleep(200);
            }
            assertThat(heard).anyMatch(message -> message.contains("alpha-key"));
            assertThat(heard).noneMatch(message -> message.contains("beta"));
        } finally {
            listener.close();
        }
    }

    @Test
    void tenantCannotSeeKeepOrDropAnotherNamespacesNearCacheFlag() throws Exception {
        String betaFlag = "fncache:{beta}:near";
        try (FunctionCache b = FunctionCaches.open(url("beta") + "?nearCache=100", "beta")) {
            b.set("flagged", "b's value");
            assertThat(b.get("flagged", String.class)).isEqualTo("b's value");
            assertThat(asOperator("STRLEN", betaFlag)).as("beta's near cache keeps its flag").isEqualTo("16");
            String betaId = asOperator("GET", betaFlag);
            RedisCommands<String, String> asA = rawAsA.sync();
            List<Executable> attempts = List.of(
                    () -> asA.exists(betaFlag),
                    () -> asA.get(betaFlag),
                    () -> asA.pttl(betaFlag),
                    () -> asA.set(betaFlag, "0123456789abcdef"),
                    () -> asA.pexpire(betaFlag, 1),
                    () -> asA.del(betaFlag),
                    () -> asA.fcall(RedisFunction.NEAR_HEARTBEAT.functionName, ScriptOutputType.VALUE,
                            new String[] {betaFlag}, "h", "0123456789abcdef", "1"));
            for (Executable attempt : attempts) {
                assertThatThrownBy(attempt::execute).isInstanceOf(RedisCommandExecutionException.class)
                        .hasMessageMatching("(?s).*(NOPERM|can't access at least one of the keys).*");
            }
            Object ownHeartbeat = asA.fcall(RedisFunction.NEAR_HEARTBEAT.functionName, ScriptOutputType.VALUE,
                    new String[] {"fncache:{alpha}:near"}, "h", "0123456789abcdef", "1000");
            assertThat(ownHeartbeat).as("its own namespace's flag it may keep").isNotNull();
            assertThat(asOperator("GET", betaFlag)).isEqualTo(betaId);
            assertThat(b.get("flagged", String.class)).isEqualTo("b's value");
            b.delete("flagged");
        }
    }

    private static String asOperator(String... command) {
        List<String> line = new ArrayList<>(
                List.of("--no-auth-warning", "--user", "ops", "--pass", DeployRecipe.OPERATOR_PASSWORD));
        line.addAll(List.of(command));
        return server.cli(line.toArray(String[]::new)).strip();
    }

    @Test
    void tenantCannotManageFunctionsNorRunArbitraryLua() {
        RedisCommands<String, String> asA = rawAsA.sync();
        List<Executable> attempts = List.of(
                () -> asA.functionFlush(FlushMode.SYNC),
                () -> asA.functionLoad("#!lua name=spin\nredis.register_function('spin', function() while true do end end)"),
                () -> asA.functionLoad(RedisFunction.librarySource(), true),
                () -> asA.dispatch(CommandType.FUNCTION, new StatusOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8).add("DELETE").add(RedisFunction.LIBRARY)),
                () -> asA.functionKill(),
                () -> asA.eval("redis.call('SET', KEYS[1], 'x') while true do end", ScriptOutputType.STATUS,
                        "fncache:{alpha}:v:spin"),
                () -> asA.eval("return 1", ScriptOutputType.INTEGER),
                () -> asA.scriptLoad("return 1"),
                () -> asA.scriptFlush());
        for (Executable attempt : attempts) {
            assertThatThrownBy(attempt::execute).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageStartingWith("NOPERM");
        }
        assertThat(asOperator("FUNCTION", "LIST"))
                .contains(RedisFunction.LIBRARY).doesNotContain("spin");
        try (FunctionCache a = FunctionCaches.open(url("alpha"), "alpha")) {
            a.set("still-works", 1);
            assertThat(a.get("still-works", Integer.class)).isEqualTo(1);
            a.delete("still-works");
        }
    }

    @Test
    void tenantThatFindsNoLibraryIsToldHowToLoadItAndWorksOnceTheRecipeLoadsIt() {
        try (FunctionCache a = FunctionCaches.open(url("alpha"), "alpha")) {
            asOperator("FUNCTION", "DELETE", RedisFunction.LIBRARY);
            try {
                assertThatThrownBy(() -> a.set("reload", "v"))
                        .isInstanceOf(CacheUnavailableException.class)
                        .hasMessageContaining("no Redis function library fncache_v6")
                        .hasMessageContaining("deploy/redis/fncache-load-library")
                        .hasMessageNotContaining("alpha-pw");
                assertThat(a.get("reload", String.class)).as("reads need no library").isNull();
            } finally {
                DeployRecipe.loadLibrary(server);
            }
            a.set("reload", "v");
            assertThat(a.get("reload", String.class)).isEqualTo("v");
            a.delete("reload");
        }
    }

    @Test
    void theDefaultUserIsOffThoughItKeepsThePermissionsTheAofReplayNeeds() {
        assertThat(DeployRecipe.defaultUserLine()).startsWith("user default off ").contains("+@all");
        try (FunctionCache anonymous = FunctionCaches.open("redis://127.0.0.1:" + server.port(), "alpha")) {
            assertThatThrownBy(() -> anonymous.get("k", String.class)).isInstanceOf(CacheUnavailableException.class);
        } catch (CacheUnavailableException refusedAtConnect) {
            assertThat(refusedAtConnect).hasMessageContaining("redis://127.0.0.1:" + server.port());
        }
    }

    @Test
    void passwordWithReservedCharactersAuthenticatesEncodedOrRawAndIsNeverPrinted() throws Exception {
        String password = "S3cr3t/Pa55#w0rd@?+%:\u00e9";
        String line = DeployRecipe.aclUser("gamma", password);
        List<String> rules = List.of(line.substring(line.indexOf(' ', "user ".length()) + 1).split(" "));
        List<String> setUser = new ArrayList<>(List.of("ACL", "SETUSER", "fn-gamma"));
        setUser.addAll(rules);
        assertThat(asOperator(setUser.toArray(String[]::new))).contains("OK");
        String encoded = java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%2B");
        String host = "@127.0.0.1:" + server.port();
        try (FunctionCache cache = FunctionCaches.open("redis://fn-gamma:" + encoded + host, "gamma")) {
            cache.set("k", "encoded");
            assertThat(cache.get("k", String.class)).isEqualTo("encoded");
            assertThat(cache.toString()).doesNotContain("S3cr3t").doesNotContain("w0rd");
        }
        String raw = password.replace("%", "%25");
        try (FunctionCache cache = FunctionCaches.open("redis://fn-gamma:" + raw + host, "gamma")) {
            assertThat(cache.get("k", String.class)).isEqualTo("encoded");
            cache.delete("k");
        }
        for (String url : List.of("redis://fn-gamma:" + raw.replace("S3cr3t", "Wr0ng") + host,
                "redis://fn-gamma:" + raw + "@127.0.0.1:" + RedisServerProcess.freePortPair(),
                "redis-cluster://fn-gamma:" + raw + "@127.0.0.1:" + RedisServerProcess.freePortPair(),
                "redis://fn-gamma:" + raw + host + "?timeout=99999999999999999999",
                "redis://fn-gamma:" + raw.replace("%25", "%") + host)) {
            Throwable failure = catchThrowable(() -> {
                try (FunctionCache cache = FunctionCaches.open(url, "gamma")) {
                    cache.get("k", String.class);
                }
            });
            assertThat(failure).as(url).isInstanceOfAny(CacheUnavailableException.class, IllegalArgumentException.class);
            java.io.StringWriter trace = new java.io.StringWriter();
            failure.printStackTrace(new java.io.PrintWriter(trace));
            assertThat(trace.toString()).as(url).doesNotContain("S3cr3t").doesNotContain("Pa55").doesNotContain("w0rd")
                    .doesNotContain("Wr0ng").contains("fn-gamma:***@");
        }
    }

    @Test
    void wrongPasswordFailsWithoutShowingIt() {
        assertThatThrownBy(() -> {
            try (FunctionCache cache = FunctionCaches.open("redis://fn-alpha:not-the-password@127.0.0.1:" + server.port(), "alpha")) {
                cache.get("k", String.class);
            }
        }).isInstanceOf(CacheUnavailableException.class)
                .hasMessageNotContaining("not-the-password")
                .hasMessageContaining("redis://fn-alpha:***@127.0.0.1");
    }
}
