package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.CacheCheck;
import dev.fncache.FunctionCaches;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code fncache doctor} on a cluster: every slot served passes; one slot that no master serves fails. */
@Tag("real-process")
class RedisClusterDoctorTest {

    private static CacheCheck slotsCheck(String url) {
        List<CacheCheck> checks = FunctionCaches.doctor(url, "doctor");
        System.out.println("doctor on a cluster:");
        checks.forEach(check -> System.out.println("  " + check));
        return checks.stream().filter(check -> check.name().equals("cluster slots")).findFirst().orElseThrow();
    }

    @Test
    void aClusterServingEverySlotPassesAndOneWithAnUnservedSlotFailsNamingTheState() {
        try (RedisClusterProcess cluster = RedisClusterProcess.start()) {
            CacheCheck healthy = slotsCheck(cluster.url());
            assertThat(healthy.status()).isEqualTo(CacheCheck.Status.PASS);
            assertThat(healthy.detail()).isEqualTo("all 16384 slots served (cluster_state:ok)");

            cluster.masters().forEach(master -> master.cli("cluster", "delslots", "0"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!cluster.masters().get(0).cli("cluster", "info").contains("cluster_state:fail")) {
                assertThat(System.nanoTime()).as("the cluster notices slot 0 is unserved").isLessThan(deadline);
                RedisServerProcess.sleep(100);
            }
            CacheCheck broken = slotsCheck(cluster.url());
            assertThat(broken.status()).isEqualTo(CacheCheck.Status.FAIL);
            assertThat(broken.detail()).startsWith("the cluster does not serve every slot: ")
                    .contains("cluster_state:fail", "cluster_slots_assigned:16383");
        }
    }
}
