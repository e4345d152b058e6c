package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheSerializationException;
import dev.fncache.TypeRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** CONTRACT rule 8: getMany. */
public abstract class GetManyContract extends ContractSupport {

    @Test
    void returnsPresentKeysInTheOrderFirstAsked() {
        cache.set("c", 3, 60);
        cache.set("a", 1, 60);
        cache.set("b", 2, 60);
        Map<String, Integer> found = cache.getMany(List.of("b", "c", "a"), Integer.class);
        assertThat(found).containsExactly(Map.entry("b", 2), Map.entry("c", 3), Map.entry("a", 1));
    }

    @Test
    void absentKeysAreLeftOutAndNoValueIsNull() {
        cache.set("a", 1, 60);
        Map<String, Integer> found = cache.getMany(List.of("x", "a", "y"), Integer.class);
        assertThat(found).containsExactly(Map.entry("a", 1));
        assertThat(found.values()).doesNotContainNull();
    }

    @Test
    void duplicatesCollapseToTheirFirstPosition() {
        cache.set("a", 1, 60);
        cache.set("b", 2, 60);
        Map<String, Integer> found = cache.getMany(List.of("b", "a", "b", "a"), Integer.class);
        assertThat(found).containsExactly(Map.entry("b", 2), Map.entry("a", 1));
    }

    @Test
    void emptyCollectionGivesAnEmptyMap() {
        assertThat(cache.getMany(List.of(), String.class)).isEmpty();
    }

    @Test
    void genericTypesAreReadWithTypeRef() {
        cache.set("a", List.of(1, 2), 60);
        Map<String, List<Integer>> found = cache.getMany(List.of("a"), new TypeRef<List<Integer>>() {});
        assertThat(found.get("a")).containsExactly(1, 2);
    }

    @Test
    void manyKeysAreReadInOneCall() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            keys.add("k" + i);
            if (i % 2 == 0) {
                cache.set("k" + i, i, 60);
            }
        }
        Map<String, Integer> found = cache.getMany(keys, Integer.class);
        assertThat(found.keySet()).containsExactlyElementsOf(
                IntStream.range(0, 500).filter(i -> i % 2 == 0).mapToObj(i -> "k" + i).toList());
    }

    @Test
    void valueOfTheWrongTypeFailsNamingThatKey() {
        cache.set("good", new Session("+4670", Instant.EPOCH), 60);
        cache.set("bad", "just a string", 60);
        assertThatThrownBy(() -> cache.getMany(List.of("good", "bad"), Session.class))
                .isInstanceOf(CacheSerializationException.class)
                .hasMessageContaining("'bad'")
                .hasMessageContaining(Session.class.getName());
        assertThat(cache.get("bad", String.class)).isEqualTo("just a string");
    }

    @Test
    void nullElementIsRejectedNamingItsPosition() {
        assertThatThrownBy(() -> cache.getMany(Arrays.asList("a", null), String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keys[1] must not be null");
    }

    @Test
    void invalidElementIsRejectedNamingItsPosition() {
        assertThatThrownBy(() -> cache.getMany(List.of("a", ""), String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("keys[1] must be 1 to 1024 bytes");
    }

    @Test
    void nullCollectionIsRejected() {
        assertThatThrownBy(() -> cache.getMany(null, String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keys must not be null");
    }

    /** Regression: getMany took any number of keys, so one call could hold the store for a read of millions. */
    @Test
    void moreThanTenThousandKeysAreRefusedBeforeAnythingIsRead() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            keys.add("k" + i);
        }
        assertThatThrownBy(() -> cache.getMany(keys, String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keys must hold at most 10000 keys, but held 10001");
        assertThat(cache.getMany(keys.subList(0, 10_000), String.class)).isEmpty();
    }
}
