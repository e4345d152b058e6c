package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheConflictException;
import dev.fncache.CacheEntry;
import dev.fncache.CacheSerializationException;
import dev.fncache.FunctionCache;
import dev.fncache.TypeRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** CONTRACT rules 16 to 18 (docs/CONTRACT.md): getEntry and its version, replace (compare-and-set) and update. */
public abstract class VersionedEntryContract extends ContractSupport {

    private String version(String key) {
        CacheEntry<Object> entry = cache.getEntry(key, Object.class);
        assertThat(entry).as("entry of %s", key).isNotNull();
        return entry.version();
    }

    @Test
    void getEntryGivesValueRemainingTtlAndVersionAndNullWhenAbsent() {
        assertThat(cache.getEntry("session", Session.class)).isNull();
        Session session = new Session("+4670", START);
        cache.set("session", session, 600);
        CacheEntry<Session> entry = cache.getEntry("session", Session.class);
        assertThat(entry.value()).isEqualTo(session);
        assertThat(entry.version()).isNotBlank();
        assertThat(entry.ttl()).isLessThanOrEqualTo(Duration.ofSeconds(600)).isGreaterThan(Duration.ofSeconds(597));
        assertThat(cache.getEntry("session", new TypeRef<java.util.Map<String, Object>>() { }).value())
                .containsEntry("callerNumber", "+4670");
    }

    @Test
    void versionChangesOnEveryWriteAndNeverRepeatsForTheKey() {
        Set<String> seen = new HashSet<>();
        cache.set("k", "A");
        assertThat(seen.add(version("k"))).isTrue();
        cache.set("k", "B");
        assertThat(seen.add(version("k"))).isTrue();
        cache.set("k", "A");
        assertThat(seen.add(version("k"))).as("write A, B, A again: a third version (no ABA)").isTrue();
        assertThat(cache.replace("k", version("k"), "C", 60)).isTrue();
        assertThat(seen.add(version("k"))).isTrue();
        cache.delete("k");
        cache.setIfAbsent("k", "D", 60);
        assertThat(seen.add(version("k"))).isTrue();
        cache.delete("k");
        cache.increment("k", 1, 60);
        assertThat(seen.add(version("k"))).isTrue();
        cache.increment("k", 1, 60);
        assertThat(seen.add(version("k"))).isTrue();
        cache.delete("k");
        cache.rateLimit("k", 5, Duration.ofMinutes(1));
        assertThat(seen.add(version("k"))).isTrue();
    }

    @Test
    void readingAgainWithoutAWriteGivesTheSameVersionAndExtendKeepsIt() {
        cache.set("k", "A", 60);
        String first = version("k");
        assertThat(version("k")).isEqualTo(first);
        assertThat(openSecondInstance(namespace).getEntry("k", String.class).version()).isEqualTo(first);
        cache.extend("k", 60);
        assertThat(version("k")).isEqualTo(first);
        assertThat(cache.replace("k", first, "B", 60)).isTrue();
    }

    @Test
    void replaceStoresOnlyWhileTheVersionReadIsCurrent() {
        cache.set("k", "A", 60);
        String read = version("k");
        FunctionCache other = openSecondInstance(namespace);
        other.set("k", "B", 60);
        other.set("k", "A", 60);
        assertThat(cache.replace("k", read, "mine", 60)).as("the value is A again, but written since").isFalse();
        assertThat(cache.get("k", String.class)).isEqualTo("A");
        assertThat(cache.replace("k", version("k"), "mine", 60)).isTrue();
        assertThat(cache.get("k", String.class)).isEqualTo("mine");
    }

    @Test
    void replaceWithNoExpectedVersionStoresOnlyWhenAbsent() {
        assertThat(cache.replace("k", null, "first", 60)).isTrue();
        assertThat(cache.replace("k", null, "second", 60)).isFalse();
        assertThat(cache.get("k", String.class)).isEqualTo("first");
        assertThat(cache.keys()).containsExactly("k");
        assertThat(cache.replace("absent", "some-version", "x", 60)).isFalse();
        assertThat(cache.has("absent")).isFalse();
    }

    @Test
    void replaceSetsValueAndTtl() {
        cache.set("k", "A", 600);
        assertThat(cache.replace("k", version("k"), "B", Duration.ofMillis(90_500))).isTrue();
        assertRemaining(cache, "k", Duration.ofMillis(90_500));
    }

    @Test
    void expiredKeyHasNoEntryAndReplaceTreatsItAsAbsent() {
        assumeInjectedClock();
        cache.set("k", "A", 10);
        String stale = version("k");
        advance(Duration.ofSeconds(10));
        assertThat(cache.getEntry("k", String.class)).isNull();
        assertThat(cache.replace("k", stale, "B", 60)).isFalse();
        assertThat(cache.replace("k", null, "C", 60)).isTrue();
        assertThat(cache.get("k", String.class)).isEqualTo("C");
    }

    @Test
    void getEntryOfAValueThatDoesNotFitTheTypeThrowsAndLeavesIt() {
        cache.set("k", "not a number");
        assertThatThrownBy(() -> cache.getEntry("k", Integer.class)).isInstanceOf(CacheSerializationException.class)
                .hasMessageContaining("'k'");
        assertThat(cache.get("k", String.class)).isEqualTo("not a number");
    }

    @Test
    void updateAppliesTheFunctionToTheCurrentValueOrNullAndReturnsWhatItStored() {
        List<Integer> seen = new ArrayList<>();
        assertThat(cache.update("n", Integer.class, 60, current -> {
            seen.add(current);
            return current == null ? 1 : current + 1;
        })).isEqualTo(1);
        assertThat(cache.update("n", Integer.class, Duration.ofSeconds(90), current -> current + 1)).isEqualTo(2);
        assertThat(seen).containsExactly((Integer) null);
        assertThat(cache.get("n", Integer.class)).isEqualTo(2);
        assertRemaining(cache, "n", Duration.ofSeconds(90));
    }

    @Test
    void updatesFromManyThreadsOnTwoInstancesLoseNoChange() throws Exception {
        FunctionCache other = openSecondInstance(namespace);
        List<Callable<Void>> writers = new ArrayList<>();
        for (int thread = 0; thread < 8; thread++) {
            FunctionCache instance = thread % 2 == 0 ? cache : other;
            writers.add(() -> {
                for (int i = 0; i < 50; i++) {
                    instance.update("n", Long.class, 600, current -> current == null ? 1 : current + 1);
                }
                return null;
            });
        }
        together(writers);
        assertThat(cache.get("n", Long.class)).isEqualTo(400L);
    }

    @Test
    void updateThatLosesEveryRaceGivesUpWithAConflictAfterTheBound() {
        FunctionCache other = openSecondInstance(namespace);
        cache.set("k", 0, 60);
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> cache.update("k", Integer.class, 60, current -> {
            other.set("k", calls.incrementAndGet() * 1000, 60);
            return current + 1;
        })).isInstanceOf(CacheConflictException.class).hasMessageContaining("'k'").hasMessageContaining("100 attempts");
        assertThat(calls).hasValue(100);
        assertThat(cache.get("k", Integer.class)).isEqualTo(100_000);
    }

    @Test
    void updateWhoseFunctionReturnsNullStoresNothingAndReturnsNull() {
        cache.set("k", "A", 60);
        String version = version("k");
        assertThat(cache.update("k", String.class, 60, current -> null)).isNull();
        assertThat(cache.get("k", String.class)).isEqualTo("A");
        assertThat(version("k")).isEqualTo(version);
        assertThat(cache.update("absent", String.class, 60, current -> null)).isNull();
        assertThat(cache.has("absent")).isFalse();
    }
}
