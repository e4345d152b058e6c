package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.CacheUnavailableException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code redis-sentinel://} through a master SIGKILL: one master, one replica and three Redis
 * Sentinels ({@code redis-server --sentinel}, down-after-milliseconds 2000) on loopback, one
 * writer storing a new key per call. Writes fail until the sentinels promote the replica, then
 * succeed again by themselves, with fncache's function library already on the promoted replica
 * (functions replicate with the data).
 */
@Tag("real-process")
class RedisSentinelFailoverTest {
    static final int DOWN_AFTER_MILLIS = 2_000;

    @Test
    void writesSucceedAgainWithinTenSecondsOfTheMastersDeathOnThePromotedReplica() throws Exception {
        List<RedisServerProcess> servers = new ArrayList<>();
        try {
            RedisServerProcess master = RedisServerProcess.start();
            servers.add(master);
            RedisServerProcess replica = RedisServerProcess.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
            servers.add(replica);
            awaitThat(() -> replica.cli("info", "replication").contains("master_link_status:up"), "the replica syncs");
            List<RedisServerProcess> sentinels = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Path directory = Files.createTempDirectory("fncache-sentinel");
                Path conf = Files.writeString(directory.resolve("sentinel.conf"), "sentinel monitor fnmaster 127.0.0.1 "
                        + master.port() + " 2\nsentinel down-after-milliseconds fnmaster " + DOWN_AFTER_MILLIS
                        + "\nsentinel failover-timeout fnmaster 10000\n");
                RedisServerProcess sentinel = RedisServerProcess.start(conf.toString(), "--sentinel");
                servers.add(sentinel);
                sentinels.add(sentinel);
            }
            for (RedisServerProcess sentinel : sentinels) {
                awaitThat(() -> sentinel.cli("sentinel", "master", "fnmaster").contains("num-other-sentinels\n2")
                        && sentinel.cli("sentinel", "replicas", "fnmaster").contains(Integer.toString(replica.port())),
                        "each sentinel knows the others and the replica");
            }
            String url = "redis-sentinel://" + sentinels.stream().map(s -> "127.0.0.1:" + s.port())
                    .collect(Collectors.joining(",")) + "?master=fnmaster&timeout=500ms";
            try (FunctionCache cache = FunctionCaches.open(url, "sentinel")) {
                List<Integer> acknowledged = new ArrayList<>();
                int next = 0;
                for (; next < 200; next++) {
                    cache.set("w:" + next, next, Duration.ofMinutes(10));
                    acknowledged.add(next);
                }
                long killedAt = System.nanoTime();
                master.kill();
                int failedCalls = 0;
                long lastFailure = killedAt;
                boolean recovered = false;
                long deadline = killedAt + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline && !(recovered && acknowledged.size() > 400)) {
                    try {
                        cache.set("w:" + next, next, Duration.ofMinutes(10));
                        acknowledged.add(next);
                        recovered = failedCalls > 0;
                    } catch (CacheUnavailableException e) {
                        failedCalls++;
                        lastFailure = System.nanoTime();
                        Thread.sleep(10);
                    }
                    next++;
                }
                assertThat(recovered).as("writes succeed again through the sentinels").isTrue();
                long failingMillis = TimeUnit.NANOSECONDS.toMillis(lastFailure - killedAt);
                int lost = 0;
                for (int key : acknowledged) {
                    if (cache.get("w:" + key, Integer.class) == null) {
                        lost++;
                    }
                }
                System.out.printf("sentinel failover (down-after-milliseconds %d): calls failed for %d ms (%d calls), "
                        + "then succeeded; %d of %d acknowledged writes lost%n", DOWN_AFTER_MILLIS, failingMillis,
                        failedCalls, lost, acknowledged.size());
                assertThat(replica.cli("info", "replication")).as("the replica was promoted").contains("role:master");
                assertThat(replica.cli("function", "list")).contains(RedisFunction.LIBRARY);
                assertThat(failingMillis).as("failing window").isLessThan(10_000L);
                assertThat(lost).isLessThanOrEqualTo(acknowledged.size() / 10);
            }
        } finally {
            servers.forEach(RedisServerProcess::close);
        }
    }

    private static void awaitThat(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting until " + what);
            }
            RedisServerProcess.sleep(100);
        }
    }
}
