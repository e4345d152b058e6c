package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheUnavailableException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Isolation enforced by Redis itself: with the users deploy/redis/fncache-acl-user makes, one
 * function's credentials cannot read, list or delete another's keys, even with raw commands.
 */
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
    void theDefaultUserIsOffThoughItKeepsThePermissionsTheAofReplayNeeds() {
        assertThat(DeployRecipe.defaultUserLine()).startsWith("user default off ").contains("+@all");
        try (FunctionCache anonymous = FunctionCaches.open("redis://127.0.0.1:" + server.port(), "alpha")) {
            assertThatThrownBy(() -> anonymous.get("k", String.class)).isInstanceOf(CacheUnavailableException.class);
        } catch (CacheUnavailableException refusedAtConnect) {
            assertThat(refusedAtConnect).hasMessageContaining("redis://127.0.0.1:" + server.port());
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
