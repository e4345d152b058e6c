package dev.fncache.redis;

import dev.fncache.CacheUnavailableException;
import dev.fncache.FunctionCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One writer storing a new key per call across a failover: 200 acknowledged writes, then a wait
 * until the master's replicas have all of them, then 200 more (the tail, written as fast as the
 * master takes them, which an asynchronous replica may not have yet), then the kill, then writes
 * until 200 in a row succeed after the last failure (or 30 s pass), then a read of every
 * acknowledged key. What the failover tests measure and print.
 *
 * <p>The wait separates what asynchronous replication may lose (the tail: a replica that lags
 * by the tail's few tens of milliseconds, as a loaded machine's may, loses all of it) from what
 * it must not (a write the promoted replica had confirmed, or one acknowledged after the
 * failover).
 */
final class WritesThroughFailover {
    private static final int BATCH = 200;

    /** How the writes went: the failing window, the failed calls, and the acknowledged writes later missing. */
    record Outcome(boolean recovered, long failingMillis, int failedCalls, int lostReplicated, int lostOfTheTail, long tailMillis,
            int lostAfterTheKill, int acknowledged) {
        int lost() {
            return lostReplicated + lostOfTheTail + lostAfterTheKill;
        }

        @Override
        public String toString() {
            return "calls failed for " + failingMillis + " ms (" + failedCalls + " calls), then "
                    + (recovered ? "succeeded" : "never succeeded again") + "; " + lost() + " of " + acknowledged
                    + " acknowledged writes lost: " + lostReplicated + " of the " + BATCH + " the replicas had confirmed, "
                    + lostOfTheTail + " of the " + BATCH + " written in the " + tailMillis + " ms before the kill, "
                    + lostAfterTheKill + " written after it";
        }
    }

    /** What ends the master's reign: a SIGKILL, a manual failover. */
    @FunctionalInterface
    interface Kill {
        void run() throws Exception;
    }

    private WritesThroughFailover() {
    }

    static Outcome run(FunctionCache cache, RedisServerProcess master, Kill kill) throws Exception {
        List<Integer> acknowledged = new ArrayList<>();
        int next = 0;
        for (; next < BATCH; next++) {
            cache.set("w:" + next, next, Duration.ofMinutes(10));
            acknowledged.add(next);
        }
        master.awaitReplicasCaughtUp();
        long tailStarted = System.nanoTime();
        for (; next < 2 * BATCH; next++) {
            cache.set("w:" + next, next, Duration.ofMinutes(10));
            acknowledged.add(next);
        }
        long killedAt = System.nanoTime();
        kill.run();
        int failedCalls = 0;
        long lastFailure = killedAt;
        int successesInARow = 0;
        long deadline = killedAt + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && successesInARow < BATCH) {
            try {
                cache.set("w:" + next, next, Duration.ofMinutes(10));
                acknowledged.add(next);
                successesInARow++;
            } catch (CacheUnavailableException e) {
                failedCalls++;
                successesInARow = 0;
                lastFailure = System.nanoTime();
                Thread.sleep(10);
            }
            next++;
        }
        boolean recovered = successesInARow >= BATCH;
        int[] lost = new int[3];
        if (recovered) {
            for (int key : acknowledged) {
                if (cache.get("w:" + key, Integer.class) == null) {
                    lost[Math.min(key / BATCH, 2)]++;
                }
            }
        }
        return new Outcome(recovered, failedCalls == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(lastFailure - killedAt), failedCalls,
                lost[0], lost[1], TimeUnit.NANOSECONDS.toMillis(killedAt - tailStarted), lost[2], acknowledged.size());
    }
}
