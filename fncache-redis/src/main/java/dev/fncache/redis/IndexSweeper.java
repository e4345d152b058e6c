package dev.fncache.redis;

import dev.fncache.spi.Housekeeping;
import io.lettuce.core.Range;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the index members of keys Redis has expired, so the index of a namespace that nobody
 * lists does not grow with dead keys. Of all the instances sharing a namespace, one per period
 * does the work: the one that takes the namespace's sweep lock.
 */
final class IndexSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(IndexSweeper.class);
    static final long PERIOD_MILLIS = 30_000;

    private final RedisStore store;
    private final byte[] token = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);

    IndexSweeper(RedisStore store) {
        this.store = store;
    }

    /** Sweeps every period on {@code housekeeping}, the first time after a random half to one and a half periods. */
    Housekeeping.Task schedule(Housekeeping housekeeping) {
        long firstDelay = PERIOD_MILLIS / 2 + (long) (Math.random() * PERIOD_MILLIS);
        return housekeeping.every(Duration.ofMillis(firstDelay), Duration.ofMillis(PERIOD_MILLIS), this::sweepQuietly);
    }

    /** Prunes the whole index if this instance holds the lock for the period; returns live members seen, or -1. */
    long sweep() {
        byte[] lock = store.layout().sweepLock();
        String taken = store.connection().call("sweep", redis -> redis.set(lock, token,
                SetArgs.Builder.nx().px(PERIOD_MILLIS - 1_000)));
        if (!"OK".equals(taken)) {
            return -1;
        }
        long[] live = {0};
        store.index().forEachLiveMember(Range.Boundary.unbounded(), Range.Boundary.unbounded(), member -> live[0]++);
        return live[0];
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.debug("pruning the key index failed; the next period retries", e);
        }
    }
}
