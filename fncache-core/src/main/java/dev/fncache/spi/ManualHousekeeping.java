package dev.fncache.spi;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link Housekeeping} that runs its tasks only when told, in the order they were scheduled. */
public final class ManualHousekeeping implements Housekeeping {
    private final List<Runnable> tasks = new CopyOnWriteArrayList<>();

    ManualHousekeeping() {
    }

    @Override
    public Task every(Duration firstDelay, Duration period, Runnable task) {
        tasks.add(task);
        return () -> tasks.remove(task);
    }

    /** Runs every scheduled task once, on the calling thread. */
    public void runAll() {
        tasks.forEach(Runnable::run);
    }

    /** How many tasks are scheduled. */
    public int scheduled() {
        return tasks.size();
    }
}
