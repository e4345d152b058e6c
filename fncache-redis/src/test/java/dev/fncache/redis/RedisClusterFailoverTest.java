package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.CacheUnavailableException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
            List<Integer> acknowledged = new ArrayList<>();
            int next = 0;
            for (; next < 200; next++) {
                cache.set("w:" + next, next, Duration.ofMinutes(10));
                acknowledged.add(next);
            }
            RedisServerProcess master = cluster.masterOf("fncache:{failover}:index");
            long killedAt = System.nanoTime();
            master.kill();
            int failedCalls = 0;
            long firstSuccessAfterFailure = 0;
            long lastFailure = killedAt;
            long deadline = killedAt + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                try {
                    cache.set("w:" + next, next, Duration.ofMinutes(10));
                    acknowledged.add(next);
                    if (failedCalls > 0 && firstSuccessAfterFailure == 0) {
                        firstSuccessAfterFailure = System.nanoTime();
                    }
                    if (firstSuccessAfterFailure != 0 && acknowledged.size() > 200 + 200) {
                        break;
                    }
                } catch (CacheUnavailableException e) {
                    if (failedCalls % 100 == 0) {
                        System.out.println("failure " + failedCalls + " after "
                                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms: " + e.getMessage());
                    }
                    failedCalls++;
                    lastFailure = System.nanoTime();
                    Thread.sleep(10);
                }
                next++;
            }
            System.out.println(cluster.masterOf("fncache:{failover}:index").port() + " now serves the slot; killed "
                    + master.port());
            assertThat(firstSuccessAfterFailure).as("writes succeed again without a restart of the client").isPositive();
            long failingMillis = TimeUnit.NANOSECONDS.toMillis(lastFailure - killedAt);
            int lost = 0;
            for (int key : acknowledged) {
                if (cache.get("w:" + key, Integer.class) == null) {
                    lost++;
                }
            }
            System.out.printf("cluster failover (node timeout %d ms): calls failed for %d ms (%d calls), then succeeded; "
                    + "%d of %d acknowledged writes lost%n", NODE_TIMEOUT_MILLIS, failingMillis, failedCalls, lost,
                    acknowledged.size());
            assertThat(failingMillis).as("failing window").isLessThan(NODE_TIMEOUT_MILLIS + 3_000L);
            assertThat(lost).as("acknowledged writes lost (asynchronous replication may lose the last ones)")
                    .isLessThanOrEqualTo(acknowledged.size() / 10);
        }
    }
}
