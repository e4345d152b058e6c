package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.nio.file.Files;
import java.nio.file.Path;
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
                WritesThroughFailover.Outcome outcome = WritesThroughFailover.run(cache, master::kill);
                System.out.println("sentinel failover (down-after-milliseconds " + DOWN_AFTER_MILLIS + "): " + outcome);
                assertThat(outcome.recovered()).as("writes succeed again through the sentinels").isTrue();
                assertThat(replica.cli("info", "replication")).as("the replica was promoted").contains("role:master");
                assertThat(replica.cli("function", "list")).contains(RedisFunction.LIBRARY);
                assertThat(outcome.failingMillis()).as("failing window").isLessThan(10_000L);
                assertThat(outcome.lost()).isLessThanOrEqualTo(outcome.acknowledged() / 10);
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
