package dev.fncache.redis;

import dev.fncache.CacheUnavailableException;
import dev.fncache.FunctionCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One writer storing a new key per call across a failover: 200 acknowledged writes, then the
 * kill, then writes until 200 in a row succeed after the last failure (or 30 s pass), then a read
 * of every acknowledged key. What the failover tests measure and print.
 */
final class WritesThroughFailover {
    private static final int BEFORE = 200;

    /** How the writes went: the failing window, the failed calls, and the acknowledged writes later missing. */
    record Outcome(boolean recovered, long failingMillis, int failedCalls, int lost, int acknowledged) {
        @Override
        public String toString() {
            return "calls failed for " + failingMillis + " ms (" + failedCalls + " calls), then " + (recovered ? "succeeded"
                    : "never succeeded again") + "; " + lost + " of " + acknowledged + " acknowledged writes lost";
        }
    }

    /** What ends the master's reign: a SIGKILL, a manual failover. */
    @FunctionalInterface
    interface Kill {
        void run() throws Exception;
    }

    private WritesThroughFailover() {
    }

    static Outcome run(FunctionCache cache, Kill kill) throws Exception {
        List<Integer> acknowledged = new ArrayList<>();
        int next = 0;
        for (; next < BEFORE; next++) {
            cache.set("w:" + next, next, Duration.ofMinutes(10));
            acknowledged.add(next);
        }
        long killedAt = System.nanoTime();
        kill.run();
        int failedCalls = 0;
        long lastFailure = killedAt;
        int successesInARow = 0;
        long deadline = killedAt + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && successesInARow < BEFORE) {
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
        boolean recovered = successesInARow >= BEFORE;
        int lost = 0;
        if (recovered) {
            for (int key : acknowledged) {
                if (cache.get("w:" + key, Integer.class) == null) {
                    lost++;
                }
            }
        }
        return new Outcome(recovered, failedCalls == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(lastFailure - killedAt), failedCalls, lost,
                acknowledged.size());
    }
}
