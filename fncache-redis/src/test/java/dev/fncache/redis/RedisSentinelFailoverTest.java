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
 * {@code redis-sentinel://} through master SIGKILLs: data nodes and three Redis Sentinels
 * ({@code redis-server --sentinel}, down-after-milliseconds 2000) on loopback, one writer storing
 * a new key per call. Writes fail until the sentinels promote a replica, then succeed again by
 * themselves, with fncache's function library already on the promoted replica (functions
 * replicate with the data). The figures go to standard output; docs/many-instances.md cites them.
 */
@Tag("real-process")
class RedisSentinelFailoverTest {
    static final int DOWN_AFTER_MILLIS = 2_000;
    private static final String SENTINEL_PASSWORD = "watch&ward";

    @Test
    void writesSucceedAgainWithinTenSecondsOfTheMastersDeathOnThePromotedReplica() throws Exception {
        try (Deployment deployment = Deployment.start(1, null)) {
            RedisServerProcess master = deployment.data.get(0);
            RedisServerProcess replica = deployment.data.get(1);
            try (FunctionCache cache = FunctionCaches.open(deployment.url("timeout=500ms"), "sentinel")) {
                WritesThroughFailover.Outcome outcome = WritesThroughFailover.run(cache, master, master::kill);
                System.out.println("sentinel failover (down-after-milliseconds " + DOWN_AFTER_MILLIS + "): " + outcome);
                assertThat(outcome.recovered()).as("writes succeed again through the sentinels").isTrue();
                assertThat(replica.cli("info", "replication")).as("the replica was promoted").contains("role:master");
                assertThat(replica.cli("function", "list")).contains(RedisFunction.LIBRARY);
                assertThat(outcome.failingMillis()).as("failing window").isLessThan(10_000L);
                assertThat(outcome.lostReplicated()).as("writes lost that the promoted replica had confirmed").isZero();
                assertThat(outcome.lostAfterTheKill()).as("writes lost that were acknowledged after the failover").isZero();
            }
        }
    }

    /**
     * With {@code ?replicaAcks=1} a write is acknowledged only once a replica has it, so no
     * failover can lose it: three masters in turn SIGKILLed under the writer (each restarted
     * afterwards, and made a replica by the sentinels), every acknowledged write read back each
     * time. The sentinels here require a password, given as {@code sentinelPassword}.
     */
    @Test
    void withReplicaAcksNoAcknowledgedWriteIsLostAcrossThreeFailovers() throws Exception {
        try (Deployment deployment = Deployment.start(2, SENTINEL_PASSWORD)) {
            String url = deployment.url("timeout=500ms&replicaAcks=1&sentinelPassword=watch%26ward");
            for (int round = 1; round <= 3; round++) {
                RedisServerProcess master = deployment.awaitMasterWithReplicasInSync();
                try (FunctionCache cache = FunctionCaches.open(url, "acks-" + round)) {
                    WritesThroughFailover.Outcome outcome = WritesThroughFailover.run(cache, master, master::kill);
                    System.out.println("sentinel failover " + round + " of 3 with replicaAcks=1: " + outcome);
                    assertThat(outcome.recovered()).as("writes succeed again through the sentinels").isTrue();
                    assertThat(outcome.failingMillis()).as("failing window").isLessThan(10_000L);
                    assertThat(outcome.lost()).as("acknowledged writes lost").isZero();
                }
                master.restart();
            }
        }
    }

    /** Data nodes (a master and its replicas) and three sentinels watching them as {@code fnmaster}. */
    private static final class Deployment implements AutoCloseable {
        final List<RedisServerProcess> data = new ArrayList<>();
        final List<RedisServerProcess> sentinels = new ArrayList<>();
        private final List<String> auth;

        private Deployment(String sentinelPassword) {
            this.auth = sentinelPassword == null ? List.of() : List.of("-a", sentinelPassword, "--no-auth-warning");
        }

        static Deployment start(int replicas, String sentinelPassword) throws Exception {
            Deployment deployment = new Deployment(sentinelPassword);
            try {
                RedisServerProcess master = RedisServerProcess.start();
                deployment.data.add(master);
                for (int i = 0; i < replicas; i++) {
                    deployment.data.add(RedisServerProcess.start("--replicaof", "127.0.0.1", Integer.toString(master.port())));
                }
                deployment.awaitMasterWithReplicasInSync();
                for (int i = 0; i < 3; i++) {
                    Path directory = Files.createTempDirectory("fncache-sentinel");
                    String conf = "sentinel monitor fnmaster 127.0.0.1 " + master.port() + " 2\n"
                            + "sentinel down-after-milliseconds fnmaster " + DOWN_AFTER_MILLIS + "\n"
                            + "sentinel failover-timeout fnmaster 10000\n"
                            + (sentinelPassword == null ? "" : "requirepass \"" + sentinelPassword + "\"\n"
                                    + "sentinel sentinel-pass \"" + sentinelPassword + "\"\n");
                    deployment.sentinels.add(RedisServerProcess.start(
                            Files.writeString(directory.resolve("sentinel.conf"), conf).toString(), "--sentinel"));
                }
                for (RedisServerProcess sentinel : deployment.sentinels) {
                    awaitThat(() -> deployment.sentinel(sentinel, "master", "fnmaster").contains("num-other-sentinels\n2"),
                            "each sentinel knows the others");
                }
                deployment.awaitMasterWithReplicasInSync();
                return deployment;
            } catch (Exception | Error e) {
                deployment.close();
                throw e;
            }
        }

        String url(String options) {
            return "redis-sentinel://" + sentinels.stream().map(s -> "127.0.0.1:" + s.port())
                    .collect(Collectors.joining(",")) + "?master=fnmaster&" + options;
        }

        /**
         * The one master among the running data nodes once every other data node replicates it
         * with its link up, and every sentinel names it and sees its replicas up.
         */
        RedisServerProcess awaitMasterWithReplicasInSync() {
            RedisServerProcess[] found = new RedisServerProcess[1];
            awaitThat(() -> {
                List<RedisServerProcess> masters = data.stream().filter(RedisServerProcess::isRunning)
                        .filter(node -> node.cli("info", "replication").contains("role:master")).toList();
                if (masters.size() != 1) {
                    return false;
                }
                RedisServerProcess master = masters.get(0);
                String port = Integer.toString(master.port());
                boolean replicasUp = data.stream().filter(node -> node != master).allMatch(node -> {
                    String info = node.cli("info", "replication");
                    return info.contains("master_port:" + port) && info.contains("master_link_status:up");
                });
                boolean sentinelsAgree = sentinels.stream().allMatch(sentinel ->
                        sentinel(sentinel, "get-master-addr-by-name", "fnmaster").contains(port)
                                && !sentinel(sentinel, "replicas", "fnmaster").contains("s_down"));
                found[0] = master;
                return replicasUp && sentinelsAgree;
            }, "one master with every replica in sync, as every sentinel sees it");
            return found[0];
        }

        private String sentinel(RedisServerProcess sentinel, String... command) {
            List<String> line = new ArrayList<>(auth);
            line.add("sentinel");
            line.addAll(List.of(command));
            return sentinel.cli(line.toArray(String[]::new));
        }

        @Override
        public void close() {
            sentinels.forEach(RedisServerProcess::close);
            data.forEach(RedisServerProcess::close);
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
