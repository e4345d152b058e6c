package dev.fncache.spi;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The daemon-thread housekeeping behind {@link Housekeeping#background()}. */
final class BackgroundHousekeeping implements Housekeeping {
    static final BackgroundHousekeeping INSTANCE = new BackgroundHousekeeping();

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread housekeeping = new Thread(task, "fncache-housekeeping");
        housekeeping.setDaemon(true);
        return housekeeping;
    });

    private BackgroundHousekeeping() {
    }

    @Override
    public Task every(Duration firstDelay, Duration period, Runnable task) {
        ScheduledFuture<?> scheduled = thread.scheduleWithFixedDelay(task, firstDelay.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
        return () -> scheduled.cancel(false);
    }
}
