package dev.fncache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.redis.RedisServerProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two instances (two providers, so two connections to the store) racing on one JCache cache:
 * the operations the specification calls atomic stay atomic across them.
 */
@Tag("real-process")
class JCacheAcrossInstancesTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 40;
    private static RedisServerProcess redis;

    @TempDir
    static Path directory;

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    private static URI url(String backend) throws Exception {
        if (backend.equals("redis")) {
            if (redis == null) {
                redis = RedisServerProcess.start();
            }
            return URI.create(redis.url());
        }
        return URI.create("sqlite:" + Files.createTempFile(directory, "instances", ".db"));
    }

    private static List<Cache<String, Long>> twoInstances(URI url, String name) {
        List<Cache<String, Long>> caches = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CacheManager manager = new FncacheCachingProvider().getCacheManager(url, JCacheAcrossInstancesTest.class.getClassLoader());
            caches.add(manager.createCache(name, new MutableConfiguration<String, Long>().setTypes(String.class, Long.class)));
        }
        return caches;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "redis"})
    void entryProcessorsOnTwoInstancesCountEveryIncrement(String backend) throws Exception {
        List<Cache<String, Long>> caches = twoInstances(url(backend), "counters");
        List<Callable> work = new ArrayList<>();
        for (Cache<String, Long> cache : caches) {
            for (int t = 0; t < THREADS; t++) {
                work.add(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        cache.invoke("calls", (entry, arguments) -> {
                            entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
                            return null;
                        });
                    }
                    return 0;
                });
            }
        }
        race(work);
        assertThat(caches.get(1).get("calls")).isEqualTo(2L * THREADS * ROUNDS);
        caches.forEach(cache -> cache.getCacheManager().close());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "redis"})
    void putIfAbsentOnTwoInstancesHasOneWinnerAndGetAndPutLosesNoValue(String backend) throws Exception {
        List<Cache<String, Long>> caches = twoInstances(url(backend), "claims");
        AtomicInteger winners = new AtomicInteger();
        List<Long> replaced = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Callable> work = new ArrayList<>();
        for (int c = 0; c < caches.size(); c++) {
            Cache<String, Long> cache = caches.get(c);
            for (int t = 0; t < THREADS; t++) {
                long id = c * 1_000L + t;
                work.add(() -> {
                    if (cache.putIfAbsent("owner", id)) {
                        winners.incrementAndGet();
                    }
                    for (int round = 0; round < ROUNDS; round++) {
                        Long previous = cache.getAndPut("last", id * 1_000 + round);
                        if (previous != null) {
                            replaced.add(previous);
                        }
                    }
                    return 0;
                });
            }
        }
        race(work);
        assertThat(winners).hasValue(1);
        // every value but the last one written was handed to exactly one getAndPut as the one it replaced
        Long last = caches.get(0).get("last");
        assertThat(replaced).hasSize(2 * THREADS * ROUNDS - 1).doesNotHaveDuplicates().doesNotContain(last);
        caches.forEach(cache -> cache.getCacheManager().close());
    }

    interface Callable extends java.util.concurrent.Callable<Integer> {
    }

    private static void race(List<Callable> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(work.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (Callable task : work) {
            results.add(pool.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        for (Future<Integer> result : results) {
            result.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }
}
