package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fncache.CacheUnavailableException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What an application sees when the master serving its namespace dies: a Redis Cluster of three
 * masters with one replica each (node timeout 2 s), one writer storing a new key per call while
 * the master is SIGKILLed. Calls fail with {@link CacheUnavailableException} until a replica is
 * promoted and the client has the new topology, then succeed again by themselves; replication
 * is asynchronous, so writes acknowledged just before the kill may be lost, and the test counts
 * them. The figures go to standard output; docs/many-instances.md cites them.
 */
@Tag("real-process")
class RedisClusterFailoverTest {
    static final int NODE_TIMEOUT_MILLIS = 2_000;

    @Test
    void callsFailWhileAReplicaIsPromotedThenSucceedAgainByThemselvesWithinNodeTimeoutPlusThreeSeconds() throws Exception {
        try (RedisClusterProcess cluster = RedisClusterProcess.start(1, NODE_TIMEOUT_MILLIS);
                FunctionCache cache = FunctionCaches.open(cluster.url() + "?timeout=500ms", "failover")) {
            RedisServerProcess master = cluster.masterOf("fncache:{failover}:index");
            WritesThroughFailover.Outcome outcome = WritesThroughFailover.run(cache, master::kill);
            System.out.println("cluster failover (node timeout " + NODE_TIMEOUT_MILLIS + " ms): " + outcome);
            assertThat(outcome.recovered()).as("writes succeed again without a restart of the client").isTrue();
            assertThat(cluster.masterOf("fncache:{failover}:index")).as("a replica took over").isNotSameAs(master);
            assertThat(outcome.failingMillis()).as("failing window").isLessThan(NODE_TIMEOUT_MILLIS + 3_000L);
            assertThat(outcome.lost()).as("acknowledged writes lost (asynchronous replication may lose the last ones)")
                    .isLessThanOrEqualTo(outcome.acknowledged() / 10);
        }
    }

    /**
     * {@code CLUSTER FAILOVER}, an operator's planned switch, under a writer with
     * {@code ?replicaAcks=1}: no acknowledged write is lost, and {@code WAIT} goes to the master
     * that wrote the key: once that master's only replica is gone, a write fails as
     * outcome-unknown though the other masters still have theirs.
     */
    @Test
    void aManualFailoverUnderReplicaAcksLosesNoAcknowledgedWriteAndAcksAreAskedOfTheKeysMaster() throws Exception {
        try (RedisClusterProcess cluster = RedisClusterProcess.start(1, NODE_TIMEOUT_MILLIS);
                FunctionCache cache = FunctionCaches.open(cluster.url() + "?timeout=500ms&replicaAcks=1", "planned")) {
            RedisServerProcess master = cluster.masterOf("fncache:{planned}:index");
            RedisServerProcess replica = cluster.replicasOf(master).get(0);
            WritesThroughFailover.Outcome outcome = WritesThroughFailover.run(cache, () -> {
                assertThat(replica.cli("cluster", "failover")).contains("OK");
            });
            System.out.println("cluster manual failover with replicaAcks=1: " + outcome);
            assertThat(outcome.recovered()).isTrue();
            assertThat(cluster.masterOf("fncache:{planned}:index")).as("the replica took over").isSameAs(replica);
            assertThat(outcome.failingMillis()).as("failing window").isLessThan(NODE_TIMEOUT_MILLIS + 3_000L);
            assertThat(outcome.lost()).as("acknowledged writes lost").isZero();

            cluster.replicasOf(replica).forEach(node -> {
                try {
                    node.kill();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(catchThrowableOfType(CacheUnavailableException.class, () -> cache.set("after", 1)))
                    .as("no replica of the key's master is left").isNotNull()
                    .hasMessageContaining("only 0 of 1 replicas acknowledged it");
        }
    }
}
