package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cross-instance rules with instances as real processes, as functions run in production:
 * sets in one process racing deletes and listing in another leave {@code has} and {@code keys}
 * agreeing, {@code update} loses no change and {@code getOrSet} loads once across three JVMs,
 * and a load whose process is SIGKILLed is taken over when its lease ends.
 */
public abstract class MultiProcessContract extends ContractSupport {
    private final List<ChildJvm> children = new ArrayList<>();

    @BeforeEach
    void requireAStoreSharedByProcesses() {
        assumeTrue(backend().sharedByProcesses(), "this store is not shared between processes");
    }

    private ChildJvm start(String... arguments) {
        ChildJvm child = InstanceProcess.start(arguments);
        children.add(child);
        return child;
    }

    private FunctionCache openOnSystemClock(Duration loadTimeout) {
        return FunctionCaches.builder().url(backend().url()).namespace(namespace).loadTimeout(loadTimeout).build();
    }

    @org.junit.jupiter.api.AfterEach
    void stopChildren() throws InterruptedException {
        for (ChildJvm child : children) {
            child.close();
        }
    }

    @Test
    void updatesFromThreeProcessesOfFourThreadsLoseNoChange() throws Exception {
        for (int i = 0; i < 3; i++) {
            start("update", backend().url(), namespace, "4", "250");
        }
        children.forEach(child -> child.awaitLineStartingWith("ready"));
        children.forEach(child -> child.send("go"));
        for (ChildJvm child : children) {
            child.awaitLineStartingWith("done");
            assertThat(child.waitFor(120)).isZero();
        }
        assertThat(cache.get("counter", Long.class)).isEqualTo(3 * 4 * 250L);
    }

    @Test
    void setsInAnotherProcessRacingDeletesAndListingHereLeaveHasAndKeysInAgreement() throws Exception {
        ChildJvm writer = start("set-keys", backend().url(), namespace, "1", "3000");
        writer.awaitLineStartingWith("ready");
        writer.send("go");
        for (int i = 0; i < 3_000; i++) {
            cache.delete(String.format("race:%05d", i));
            if (i % 100 == 0) {
                cache.keys("race:*");
            }
        }
        writer.awaitLineStartingWith("done");
        assertThat(writer.waitFor(60)).isZero();
        java.util.Set<String> listed = new java.util.TreeSet<>(cache.keys("race:*"));
        List<String> disagreeing = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String key = String.format("race:%05d", i);
            if (cache.has(key) != listed.contains(key)) {
                disagreeing.add(key);
            }
        }
        assertThat(disagreeing).as("keys on which has() and keys() disagree").isEmpty();
    }

    @Test
    void getOrSetFromThreeProcessesOfFourThreadsRunsTheLoaderOnce() throws Exception {
        for (int i = 0; i < 3; i++) {
            start("get-or-set", backend().url(), namespace, "4", "800", "30000");
        }
        children.forEach(child -> child.awaitLineStartingWith("ready"));
        children.forEach(child -> child.send("go"));
        List<String> answers = new ArrayList<>();
        for (ChildJvm child : children) {
            for (int thread = 0; thread < 4; thread++) {
                answers.add(child.awaitLineStartingWith("got "));
            }
            child.awaitLineStartingWith("done");
        }
        assertThat(answers).hasSize(12).containsOnly(answers.get(0));
        assertThat(cache.get("loads", Long.class)).as("loader calls in all processes").isEqualTo(1L);
    }

    /** CONTRACT rule 27: 1,000 hits from each of three processes against a limit of 100 allow exactly 100, on every algorithm. */
    @Test
    void rateLimitsFromThreeProcessesOfFourThreadsAllowExactlyTheLimitOnEveryAlgorithm() throws Exception {
        for (int i = 0; i < 3; i++) {
            start("rate-limits", backend().url(), namespace, "4", "250");
        }
        children.forEach(child -> child.awaitLineStartingWith("ready"));
        children.forEach(child -> child.send("go"));
        java.util.Map<String, Integer> allowed = new java.util.TreeMap<>();
        for (ChildJvm child : children) {
            for (int line = 0; line < 4 * InstanceProcess.RATE_LIMIT_RULES.size(); line++) {
                String[] words = child.awaitLineStartingWith("allowed ").split(" ");
                allowed.merge(words[1], Integer.parseInt(words[2]), Integer::sum);
            }
            child.awaitLineStartingWith("done");
        }
        assertThat(allowed).as("allowed hits of 3,000 per algorithm")
                .isEqualTo(java.util.Map.of("FIXED_WINDOW", 100, "SLIDING_WINDOW", 100, "TOKEN_BUCKET", 100));
    }

    /** CONTRACT rule 26: three processes asking for overlapping keys load each missing key once in all. */
    @Test
    void getOrSetManyFromThreeProcessesOfFourThreadsWithOverlappingKeysLoadsEachKeyOnce() throws Exception {
        for (int first : new int[] {0, 10, 20}) {
            start("get-or-set-many", backend().url(), namespace, "4", Integer.toString(first));
        }
        children.forEach(child -> child.awaitLineStartingWith("ready"));
        children.forEach(child -> child.send("go"));
        for (ChildJvm child : children) {
            for (int thread = 0; thread < 4; thread++) {
                assertThat(child.awaitLineStartingWith("got ")).isEqualTo("got 30");
            }
            child.awaitLineStartingWith("done");
        }
        List<String> loads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            loads.add(i + "=" + cache.get(String.format("loads:customer:%03d", i), Long.class));
        }
        List<String> once = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            once.add(i + "=1");
        }
        assertThat(loads).as("loader calls per key in all processes").isEqualTo(once);
    }

    @Test
    void aLoadWhoseProcessIsKilledIsTakenOverWithinTheLeaseTimeout() throws Exception {
        try (FunctionCache survivor = openOnSystemClock(Duration.ofSeconds(2))) {
            ChildJvm doomed = start("get-or-set", backend().url(), namespace, "1", "60000", "2000");
            doomed.awaitLineStartingWith("ready");
            doomed.send("go");
            doomed.awaitLineStartingWith("loading");
            long leaseTaken = System.nanoTime();
            doomed.kill();
            String value = survivor.getOrSet("customer", String.class, 60, () -> "loaded by the survivor");
            assertThat(value).isEqualTo("loaded by the survivor");
            assertThat(Duration.ofNanos(System.nanoTime() - leaseTaken)).as("from the dead owner's lease to the takeover")
                    .isLessThan(Duration.ofMillis(2_000 + 1_500));
        }
    }

    /**
     * CONTRACT rule 25, refresh ahead: 3 processes of 16 threads reading one hot key over 10 TTL
     * cycles of 2 s reload it once per cycle in all, from a background refresh, and no read
     * misses. (With a 1 s TTL, refreshAhead(0.8) leaves a reload 200 ms, which a cold JVM's
     * first one on a loaded machine overran once.)
     * How long reads took is printed, not asserted (this machine's 2 cores run 48 readers).
     */
    @Test
    void refreshAheadFromThreeProcessesOfSixteenThreadsReloadsOncePerCycleAndNoReadMisses() throws Exception {
        for (int i = 0; i < 3; i++) {
            start("refresh-ahead", backend().url(), namespace, "16", "10");
        }
        children.forEach(child -> child.awaitLineStartingWith("ready"));
        children.forEach(child -> child.send("go"));
        for (ChildJvm child : children) {
            String done = child.awaitLineStartingWith("done");
            System.out.println("refresh ahead, one process of 16 readers: " + done);
            assertThat(done).contains(" nulls=0 ");
            assertThat(child.waitFor(60)).isZero();
        }
        List<Long> loadTimes = cache.keys("load-at:*").stream()
                .map(key -> Long.parseLong(key.split(":")[1])).sorted().toList();
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < loadTimes.size(); i++) {
            gaps.add(loadTimes.get(i) - loadTimes.get(i - 1));
        }
        System.out.println("refresh ahead: " + loadTimes.size() + " loads, gaps between them (ms): " + gaps);
        assertThat(cache.get("misses", Long.class)).as("loads a reader waited for: the first one only").isEqualTo(1L);
        assertThat(gaps).as("one load per cycle: each at least 0.8 TTL after the one before, less scheduling slack")
                .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(1_300L));
        assertThat(loadTimes.size()).as("a reload in each of the 10 cycles, about").isBetween(9, 15);
    }
}
