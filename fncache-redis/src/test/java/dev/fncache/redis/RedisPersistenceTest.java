package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** deploy/redis/redis.conf keeps keys and their TTLs through a SIGKILL of the server. */
@Tag("real-process")
class RedisPersistenceTest {

    @Test
    void keysTtlsAndTheFunctionLibrarySurviveSigkillOnceTheAppendOnlyFileIsFsynced() throws Exception {
        RedisServerProcess.requireRedisServer();
        Path directory = Files.createTempDirectory("fncache-aof");
        Path acl = DeployRecipe.aclFile(directory, "voice-ivr");
        try (RedisServerProcess server = RedisServerProcess.start(DeployRecipe.redisConf().toString(),
                "--aclfile", acl.toString(), "--maxmemory", "64mb")) {
            DeployRecipe.loadLibrary(server);
            String url = "redis://fn-voice-ivr:voice-ivr-pw@127.0.0.1:" + server.port();
            try (FunctionCache cache = FunctionCaches.open(url, "voice-ivr")) {
                for (int i = 0; i < 200; i++) {
                    cache.set("session:" + i, "caller-" + i, 3600);
                }
                cache.increment("sms-count:+4670", 7, 3600);
            }
            Thread.sleep(1_500); // appendfsync everysec: the AOF is on disk after a second
            server.kill();
            server.restart();
            try (FunctionCache reopened = FunctionCaches.open(url, "voice-ivr")) {
                for (int i = 0; i < 200; i++) {
                    assertThat(reopened.get("session:" + i, String.class)).isEqualTo("caller-" + i);
                }
                assertThat(reopened.ttl("session:199")).isBetween(Duration.ofSeconds(3590), Duration.ofSeconds(3600));
                assertThat(reopened.increment("sms-count:+4670", 1, 60)).isEqualTo(8);
                assertThat(reopened.keys("session:*")).hasSize(200);
            }
            assertThat(server.cli("--user", "fn-voice-ivr", "--pass", "voice-ivr-pw", "config", "get", "maxmemory-policy"))
                    .contains("NOPERM");
        }
    }

    @Test
    void productionConfigurationPersistsAndNeverEvictsLiveKeys() throws Exception {
        String conf = Files.readString(DeployRecipe.redisConf());
        assertThat(conf).contains("appendonly yes").contains("appendfsync everysec")
                .contains("maxmemory-policy noeviction").contains("protected-mode yes").contains("aclfile ");
    }
}
