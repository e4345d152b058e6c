package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.FunctionCache;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT rules 9, 10, 11 and 15 under contention: atomic increment and setIfAbsent, one loader
 * call per key, and one cache shared by many threads.
 */
public abstract class ConcurrencyContract extends ContractSupport {

    /** Runs {@code task} on {@code threads} threads released together; returns their results. */
    protected static <T> List<T> race(int threads, Callable<T> task) throws Exception {
        return together(Collections.nCopies(threads, task));
    }

    @Test
    void eightThreadsIncrementingTenThousandTimesEachEndOnEightyThousand() throws Exception {
        race(8, () -> {
            for (int i = 0; i < 10_000; i++) {
                cache.increment("counter", 1, 600);
            }
            return null;
        });
        assertThat(cache.get("counter", Long.class)).isEqualTo(80_000L);
    }

    @Test
    void incrementsThroughSeparateInstancesAreAtomic() throws Exception {
        List<FunctionCache> instances = List.of(open(namespace), open(namespace), open(namespace), open(namespace));
        AtomicInteger next = new AtomicInteger();
        race(4, () -> {
            FunctionCache mine = instances.get(next.getAndIncrement());
            for (int i = 0; i < 2_500; i++) {
                mine.increment("counter", 1, 600);
            }
            return null;
        });
        assertThat(cache.get("counter", Long.class)).isEqualTo(10_000L);
    }

    @Test
    void sixteenThreadsRacingSetIfAbsentHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 20; round++) {
            String key = "lock-" + round;
            AtomicInteger ids = new AtomicInteger();
            List<Integer> winners = race(16, () -> {
                int id = ids.incrementAndGet();
                return cache.setIfAbsent(key, id, 60) ? id : null;
            });
            List<Integer> won = winners.stream().filter(w -> w != null).toList();
            assertThat(won).as("winners of round %d", round).hasSize(1);
            assertThat(cache.get(key, Integer.class)).isEqualTo(won.get(0));
        }
    }

    @Test
    void sixteenThreadsCallingGetOrSetOnOneKeyCallTheLoaderOnce() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        List<String> results = race(16, () -> cache.getOrSet("customer", String.class, 60, () -> {
            loads.incrementAndGet();
            sleep(java.time.Duration.ofMillis(200));
            return "Alice";
        }));
        assertThat(loads).hasValue(1);
        assertThat(results).hasSize(16).containsOnly("Alice");
    }

    @Test
    void getOrSetWaitersShareTheLoaderFailure() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        List<String> outcomes = race(8, () -> {
            try {
                return cache.getOrSet("k", String.class, 60, () -> {
                    loads.incrementAndGet();
                    sleep(java.time.Duration.ofMillis(200));
                    throw new IllegalStateException("directory down");
                });
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        });
        assertThat(outcomes).containsOnly("directory down");
        assertThat(loads.get()).isBetween(1, 8);
        assertThat(cache.has("k")).isFalse();
    }

    @Test
    void oneCacheSharedByManyThreadsStaysConsistent() throws Exception {
        List<Integer> counts = race(8, () -> {
            String me = Thread.currentThread().getName();
            int seen = 0;
            for (int i = 0; i < 500; i++) {
                String key = me + ":" + i;
                cache.set(key, i, 60);
                if (cache.get(key, Integer.class) == i) {
                    seen++;
                }
                cache.keys(me + ":*");
                if (i % 2 == 0) {
                    cache.delete(key);
                }
            }
            return seen;
        });
        assertThat(counts).containsOnly(500);
        assertThat(cache.keys()).hasSize(8 * 250);
    }
}
