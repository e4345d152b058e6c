package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheLoadTimeoutException;
import dev.fncache.FunctionCache;
import dev.fncache.LoadPolicy;
import dev.fncache.TypeRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT rule 26: getOrSetMany reads every key at once and loads exactly the missing ones in
 * one loader call, each missing key once across instances, under the policy's TTL, stale copies
 * and timeouts.
 */
public abstract class GetOrSetManyContract extends ContractSupport {
    private static final LoadPolicy ONE_MINUTE = LoadPolicy.ttl(Duration.ofSeconds(60));
    private static final Duration TTL = Duration.ofSeconds(1);
    private static final LoadPolicy FAIL_SAFE = LoadPolicy.ttl(TTL).staleFor(Duration.ofHours(1));

    private static List<String> keys(int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(String.format("customer:%03d", i));
        }
        return keys;
    }

    /** A loader that records each call's keys and answers "loaded KEY" for every one. */
    private static final class RecordingLoader implements Function<Set<String>, Map<String, String>> {
        final List<Set<String>> calls = new CopyOnWriteArrayList<>();

        @Override
        public Map<String, String> apply(Set<String> missing) {
            calls.add(new TreeSet<>(missing));
            Map<String, String> values = new HashMap<>();
            missing.forEach(key -> values.put(key, "loaded " + key));
            return values;
        }
    }

    private void expire() {
        if (backend().obeysInjectedClock()) {
            advance(TTL.plusMillis(1));
        } else {
            sleep(TTL.plusMillis(150));
        }
    }

    private static Function<Set<String>, Map<String, String>> failing() {
        return missing -> {
            throw new IllegalStateException("directory down");
        };
    }

    @Test
    void ofAHundredKeysWithFiftyMissingTheLoaderIsCalledOnceWithExactlyThoseFiftyAndTheAnswerKeepsTheOrderAsked() {
        List<String> asked = keys(100);
        Map<String, String> present = new LinkedHashMap<>();
        for (int i = 0; i < 100; i += 2) {
            present.put(asked.get(i), "cached " + asked.get(i));
        }
        cache.setMany(present, 600);
        List<String> shuffled = new ArrayList<>(asked);
        Collections.shuffle(shuffled, new java.util.Random(7));
        RecordingLoader loader = new RecordingLoader();

        Map<String, String> answer = cache.getOrSetMany(shuffled, String.class, ONE_MINUTE, loader);

        assertThat(loader.calls).hasSize(1);
        assertThat(loader.calls.get(0)).hasSize(50).doesNotContainAnyElementsOf(present.keySet());
        assertThat(new ArrayList<>(answer.keySet())).isEqualTo(shuffled);
        for (String key : asked) {
            assertThat(answer.get(key)).isEqualTo(present.containsKey(key) ? "cached " + key : "loaded " + key);
        }
        String loadedKey = asked.get(1);
        assertThat(cache.get(loadedKey, String.class)).isEqualTo("loaded " + loadedKey);
        assertRemaining(cache, loadedKey, Duration.ofSeconds(60));
        assertRemaining(cache, asked.get(0), Duration.ofSeconds(600));
    }

    @Test
    void whenEveryKeyIsPresentTheLoaderIsNotCalled() {
        cache.setMany(Map.of("a", "1", "b", "2"), 60);
        Map<String, String> answer = cache.getOrSetMany(List.of("b", "a"), String.class, ONE_MINUTE, failing());
        assertThat(answer).containsExactly(Map.entry("b", "2"), Map.entry("a", "1"));
    }

    @Test
    void keysTheLoaderLeavesOutOrMapsToNullStayAbsentAndKeysItWasNotAskedForAreIgnored() {
        Map<String, String> answer = cache.getOrSetMany(List.of("a", "b", "c"), String.class, ONE_MINUTE, missing -> {
            Map<String, String> values = new HashMap<>();
            values.put("a", "1");
            values.put("b", null);
            values.put("z", "not asked");
            return values;
        });
        assertThat(answer).containsExactly(Map.entry("a", "1"));
        assertThat(cache.has("b")).isFalse();
        assertThat(cache.has("c")).isFalse();
        assertThat(cache.has("z")).isFalse();
        assertThat(cache.getOrSetMany(List.of("c"), String.class, ONE_MINUTE, missing -> null)).isEmpty();
    }

    @Test
    void duplicatesCollapseToTheirFirstPositionAndGenericTypesAreReadWithTypeRef() {
        cache.set("b", List.of(1, 2), 60);
        Map<String, List<Integer>> answer = cache.getOrSetMany(List.of("b", "a", "b"), new TypeRef<List<Integer>>() { },
                ONE_MINUTE, missing -> Map.of("a", List.of(3)));
        assertThat(answer).containsExactly(Map.entry("b", List.of(1, 2)), Map.entry("a", List.of(3)));
    }

    @Test
    void whenTheLoaderThrowsItsFailurePropagatesNothingIsStoredAndTheNextCallLoadsAgain() {
        assertThatThrownBy(() -> cache.getOrSetMany(List.of("a", "b"), String.class, ONE_MINUTE, failing()))
                .isInstanceOf(IllegalStateException.class).hasMessage("directory down");
        assertThat(cache.has("a")).isFalse();
        RecordingLoader loader = new RecordingLoader();
        assertThat(cache.getOrSetMany(List.of("a", "b"), String.class, ONE_MINUTE, loader)).hasSize(2);
        assertThat(loader.calls).containsExactly(new TreeSet<>(Set.of("a", "b")));
    }

    @Test
    void badArgumentsAreRefusedNamingTheRuleBeforeAnythingIsLoaded() {
        RecordingLoader loader = new RecordingLoader();
        assertThatThrownBy(() -> cache.getOrSetMany(List.of("a", ""), String.class, ONE_MINUTE, loader))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys[1]");
        assertThatThrownBy(() -> cache.getOrSetMany(keys(10_001), String.class, ONE_MINUTE, loader))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keys must hold at most 10000 keys, but held 10001");
        assertThatThrownBy(() -> cache.getOrSetMany(List.of("a"), String.class,
                LoadPolicy.ttl(Duration.ofSeconds(60)).refreshAhead(0.5), loader))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not refresh ahead");
        assertThatThrownBy(() -> cache.getOrSetMany(List.of("a"), String.class, ONE_MINUTE, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loader");
        assertThatThrownBy(() -> cache.getOrSetMany(null, String.class, ONE_MINUTE, loader))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys");
        assertThat(loader.calls).isEmpty();
        assertThat(cache.getOrSetMany(List.of(), String.class, ONE_MINUTE, loader)).isEmpty();
        assertThat(loader.calls).isEmpty();
    }

    @Test
    void aValueTooLargeFromTheLoaderIsRefusedAndNothingOfThatCallIsStored() {
        FunctionCache small = open(namespace, builder -> builder.maxValueBytes(10));
        assertThatThrownBy(() -> small.getOrSetMany(List.of("a", "b"), String.class, ONE_MINUTE,
                missing -> Map.of("a", "ok", "b", "far more than ten bytes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxValueBytes");
        assertThat(small.has("a")).isFalse();
    }

    @Test
    void afterExpiryAFailingLoaderAnswersTheStaleValuesOfEveryKeyAndTheyStayAbsentForOtherReads() {
        cache.getOrSetMany(List.of("a", "b"), String.class, FAIL_SAFE, missing -> Map.of("a", "1", "b", "2"));
        expire();
        Map<String, String> answer = cache.getOrSetMany(List.of("a", "b"), String.class, FAIL_SAFE, failing());
        assertThat(answer).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(cache.has("a")).isFalse();
        assertThat(cache.getMany(List.of("a", "b"), String.class)).isEmpty();
    }

    @Test
    void whenOneMissingKeyHasNoStaleValueTheLoadersFailurePropagates() {
        cache.getOrSetMany(List.of("a"), String.class, FAIL_SAFE, missing -> Map.of("a", "1"));
        expire();
        assertThatThrownBy(() -> cache.getOrSetMany(List.of("a", "new"), String.class, FAIL_SAFE, failing()))
                .isInstanceOf(IllegalStateException.class).hasMessage("directory down");
    }

    @Test
    void withNoStaleValueTheHardTimeoutEndsTheCallAndTheLateValuesAreStoredWhenTheyArrive() {
        LoadPolicy policy = ONE_MINUTE.hardTimeout(Duration.ofMillis(200));
        CountDownLatch directory = new CountDownLatch(1);
        long started = System.nanoTime();
        assertThatThrownBy(() -> cache.getOrSetMany(List.of("a", "b"), String.class, policy, missing -> {
            await(directory);
            return Map.of("a", "1", "b", "2");
        })).isInstanceOf(CacheLoadTimeoutException.class).hasMessageContaining("hardTimeout PT0.2S");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(200L, 700L);
        directory.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cache.getMany(List.of("a", "b"), String.class).size() < 2) {
            assertThat(System.nanoTime()).as("the late values are stored").isLessThan(deadline);
            sleep(Duration.ofMillis(10));
        }
    }

    @Test
    void pastTheSoftTimeoutTheStaleValuesAreAnsweredAndTheLateOnesStored() {
        LoadPolicy policy = FAIL_SAFE.softTimeout(Duration.ofMillis(100));
        cache.getOrSetMany(List.of("a", "b"), String.class, policy, missing -> Map.of("a", "1", "b", "2"));
        expire();
        CountDownLatch directory = new CountDownLatch(1);
        Map<String, String> answer = cache.getOrSetMany(List.of("a", "b"), String.class, policy, missing -> {
            await(directory);
            return Map.of("a", "1'", "b", "2'");
        });
        assertThat(answer).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        directory.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!"2'".equals(cache.get("b", String.class))) {
            assertThat(System.nanoTime()).as("the late values are stored").isLessThan(deadline);
            sleep(Duration.ofMillis(10));
        }
    }

    @Test
    void twoInstancesAndEightThreadsAskingForOverlappingKeysLoadEachMissingKeyOnceInAll() throws Exception {
        FunctionCache other = openSecondInstance(namespace);
        List<String> all = keys(7 * 3 + 20);
        Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();
        Function<Set<String>, Map<String, String>> loader = missing -> {
            sleep(Duration.ofMillis(50));
            Map<String, String> values = new HashMap<>();
            for (String key : missing) {
                loads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                values.put(key, "loaded " + key);
            }
            return values;
        };
        List<Callable<Map<String, String>>> callers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            FunctionCache instance = t % 2 == 0 ? cache : other;
            List<String> window = all.subList(t * 3, t * 3 + 20);
            callers.add(() -> instance.getOrSetMany(window, String.class, ONE_MINUTE, loader));
        }
        List<Map<String, String>> answers = together(callers);
        for (int t = 0; t < 8; t++) {
            assertThat(answers.get(t)).hasSize(20).allSatisfy((key, value) -> assertThat(value).isEqualTo("loaded " + key));
        }
        assertThat(loads.keySet()).hasSize(all.size());
        assertThat(loads.values()).as("loads per key across both instances").allSatisfy(count -> assertThat(count).hasValue(1));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the loader");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
