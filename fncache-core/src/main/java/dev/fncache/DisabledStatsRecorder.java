package dev.fncache;

/** What a cache without statistics records: nothing (Caffeine's {@code DisabledStatsCounter}). */
enum DisabledStatsRecorder implements CacheStatsRecorder {
    INSTANCE;

    @Override
    public boolean timesNextOperation() {
        return false;
    }

    @Override
    public void recordOperation(Operation operation, Outcome outcome, long nanos) {
    }

    @Override
    public void recordGets(long hits, long misses) {
    }

    @Override
    public void recordPuts(long count) {
    }

    @Override
    public void recordRemovals(long count) {
    }

    @Override
    public void recordLoad(boolean success, long nanos) {
    }
}
