package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fncache.CacheUnavailableException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code ?replicaAcks=N}: a write returns only once N replicas have it (Redis {@code WAIT}), and
 * fails as outcome-unknown when fewer acknowledge it in time; reads never wait.
 */
@Tag("real-process")
class RedisReplicaAcksTest {

    @Test
    void aWriteNoReplicaAcknowledgesFailsAsOutcomeUnknownAfterTheAckTimeoutButWasApplied() {
        RedisServerProcess server = SharedRedis.server();
        try (FunctionCache cache = FunctionCaches.open(server.url() + "?replicaAcks=1&replicaAckTimeout=100ms", "acks-alone")) {
            long started = System.nanoTime();
            CacheUnavailableException failure = catchThrowableOfType(CacheUnavailableException.class, () -> cache.set("k", 1));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(failure.outcomeUnknown()).isTrue();
            assertThat(failure).hasMessage(server.url() + "?replicaAcks=1&replicaAckTimeout=100ms: cannot set: the write "
                    + "was applied on the master, but only 0 of 1 replicas acknowledged it within replicaAckTimeout 100 ms "
                    + "(replicaAcks=1), so a failover may still lose it");
            assertThat(waitedMillis).as("waited for the ack timeout, not the command timeout").isBetween(100L, 1_500L);
            assertThat(cache.get("k", Integer.class)).as("applied, and reads do not wait").isEqualTo(1);
            assertThat(catchThrowableOfType(CacheUnavailableException.class, () -> cache.increment("n", 1, Duration.ofMinutes(5))).outcomeUnknown())
                    .isTrue();
            assertThat(catchThrowableOfType(CacheUnavailableException.class, () -> cache.delete("k"))).isNotNull();
            assertThat(cache.has("k")).as("the delete was applied too").isFalse();
        }
    }

    /** Regression guard for users made before fncache-acl-user granted WAIT. */
    @Test
    void aUserThatMayNotRunWaitIsToldWhatToGrant() {
        RedisServerProcess server = SharedRedis.server();
        server.cli("acl", "setuser", "fn-nowait", "on", ">pw", "resetkeys", "~fncache:{nowait}:*", "+@all", "-wait");
        try (FunctionCache cache = FunctionCaches.open("redis://fn-nowait:pw@127.0.0.1:" + server.port()
                + "?replicaAcks=1", "nowait")) {
            assertThat(catchThrowableOfType(CacheUnavailableException.class, () -> cache.set("k", 1)))
                    .hasMessageContaining("cannot set: the write was applied, but this user may not run WAIT, which "
                            + "replicaAcks needs; give it +wait (deploy/redis/fncache-acl-user grants it)")
                    .hasMessageNotContaining("pw@");
        } finally {
            server.cli("acl", "deluser", "fn-nowait");
        }
    }

    @Test
    void everyAcknowledgedWriteIsAlreadyOnTheReplicaWhenTheCallReturns() {
        try (RedisServerProcess master = RedisServerProcess.start();
                RedisServerProcess replica = RedisServerProcess.start("--replicaof", "127.0.0.1",
                        Integer.toString(master.port()))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!replica.cli("info", "replication").contains("master_link_status:up")) {
                assertThat(System.nanoTime()).as("the replica syncs").isLessThan(deadline);
                RedisServerProcess.sleep(50);
            }
            RedisClient client = RedisClient.create(replica.url());
            try (FunctionCache cache = FunctionCaches.open(master.url() + "?replicaAcks=1", "acks");
                    StatefulRedisConnection<byte[], byte[]> onReplica = client.connect(ByteArrayCodec.INSTANCE)) {
                RedisKeyLayout layout = new RedisKeyLayout("acks");
                int missing = 0;
                for (int i = 0; i < 500; i++) {
                    cache.set("k" + i, i, Duration.ofMinutes(5));
                    if (onReplica.sync().get(layout.valueKey("k" + i)) == null) {
                        missing++;
                    }
                }
                assertThat(missing).as("writes acknowledged but not yet on the replica").isZero();
            } finally {
                client.shutdown();
            }
        }
    }
}
