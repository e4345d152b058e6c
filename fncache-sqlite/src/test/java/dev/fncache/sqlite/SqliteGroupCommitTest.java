package dev.fncache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.CacheSerializationException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.spi.CacheUrl;
import dev.fncache.tck.Concurrently;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Concurrent writes share transactions and fsyncs, and come out exactly as if run one by one. */
class SqliteGroupCommitTest {
    private static final int THREADS = 16;

    private final Path directory = TestFiles.newDirectory("group-commit");

    /** The writes of one thread: sets, deletes, setIfAbsent and increments on its own keys, and the shared counter. */
    private static void script(FunctionCache cache, int thread) {
        for (int i = 0; i < 60; i++) {
            String key = "t" + thread + ":k" + (i % 20);
            switch (i % 5) {
                case 0 -> cache.set(key, Map.of("thread", thread, "step", i), 600);
                case 1 -> cache.delete("t" + thread + ":k" + ((i + 7) % 20));
                case 2 -> cache.setIfAbsent(key, "first-" + i, 600);
                case 3 -> cache.increment("t" + thread + ":counter", i, 600);
                default -> cache.increment("shared", 1, 600);
            }
        }
    }

    private static Map<String, Object> state(FunctionCache cache) {
        Map<String, Object> state = new LinkedHashMap<>();
        for (String key : cache.keys()) {
            state.put(key, cache.get(key, Object.class));
        }
        return state;
    }

    private SqliteDatabase databaseOf(String url) {
        return SqliteDatabases.acquire(SqliteLocation.parse(CacheUrl.parse(url)), Clock.systemUTC(), dev.fncache.spi.Housekeeping.background());
    }

    @Test
    void sixteenThreadsOfMixedWritesEndInTheStateOfTheSameWritesOneByOne() throws Exception {
        String oneByOneUrl = "sqlite:" + directory.resolve("one-by-one.db");
        String concurrentUrl = "sqlite:" + directory.resolve("concurrent.db");
        Map<String, Object> expected;
        try (FunctionCache cache = FunctionCaches.open(oneByOneUrl, "fn")) {
            for (int thread = 0; thread < THREADS; thread++) {
                script(cache, thread);
            }
            expected = state(cache);
        }
        try (FunctionCache cache = FunctionCaches.open(concurrentUrl, "fn")) {
            SqliteDatabase database = databaseOf(concurrentUrl);
            try {
                long commitsBefore = database.commits();
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Callable<Void>> threads = new ArrayList<>();
                for (int thread = 0; thread < THREADS; thread++) {
                    int id = thread;
                    threads.add(() -> {
                        start.await();
                        script(cache, id);
                        return null;
                    });
                }
                Concurrently.run(threads);
                long commits = database.commits() - commitsBefore;
                assertThat(commits).as("transactions for %d writes", THREADS * 60).isLessThan(THREADS * 60);
                assertThat(state(cache)).isEqualTo(expected);
                assertThat(cache.get("shared", Long.class)).isEqualTo(THREADS * 12L);
            } finally {
                SqliteDatabases.release(database, Clock.systemUTC());
            }
        }
    }

    @Test
    void aWriteThatFailsInABatchFailsAloneAndItsNeighboursAreCommitted() throws Exception {
        String url = "sqlite:" + directory.resolve("failing.db");
        try (FunctionCache cache = FunctionCaches.open(url, "fn")) {
            cache.set("text", "not a number", 600);
            SqliteDatabase database = databaseOf(url);
            try {
                long commitsBefore = database.commits();
                AtomicInteger refused = new AtomicInteger();
                CyclicBarrier round = new CyclicBarrier(THREADS);
                List<Callable<Void>> threads = new ArrayList<>();
                for (int thread = 0; thread < THREADS; thread++) {
                    int id = thread;
                    threads.add(() -> {
                        for (int i = 0; i < 50; i++) {
                            round.await(30, TimeUnit.SECONDS);
                            if (id % 2 == 0) {
                                cache.set("ok:" + id + ":" + i, i, 600);
                            } else {
                                try {
                                    cache.increment("text", 1, 600);
                                } catch (CacheSerializationException expected) {
                                    refused.incrementAndGet();
                                }
                            }
                        }
                        return null;
                    });
                }
                Concurrently.run(threads);
                assertThat(refused).hasValue(8 * 50);
                assertThat(cache.keys("ok:*")).hasSize(8 * 50);
                assertThat(cache.get("text", String.class)).isEqualTo("not a number");
                assertThat(database.commits() - commitsBefore).as("transactions for 800 writes").isLessThan(800);
            } finally {
                SqliteDatabases.release(database, Clock.systemUTC());
            }
        }
    }
}
