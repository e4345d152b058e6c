package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.FunctionCache;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** CONTRACT rule 14, last sentence: after close every call throws IllegalStateException. */
public abstract class CloseContract extends ContractSupport {

    @Test
    void everyCallAfterCloseThrowsIllegalStateException() {
        FunctionCache closed = open(namespace);
        closed.close();
        List<Consumer<FunctionCache>> calls = List.of(
                c -> c.set("k", 1),
                c -> c.set("k", 1, 60),
                c -> c.set("k", 1, Duration.ofSeconds(60)),
                c -> c.get("k", String.class),
                c -> c.get("k", new dev.fncache.TypeRef<List<String>>() {}),
                c -> c.has("k"),
                c -> c.delete("k"),
                c -> c.extend("k", 1),
                c -> c.keys(),
                c -> c.keys("*"),
                c -> c.getMany(List.of("k"), String.class),
                c -> c.getMany(List.of("k"), new dev.fncache.TypeRef<List<String>>() {}),
                c -> c.increment("k", 1, 60),
                c -> c.setIfAbsent("k", 1, 60),
                c -> c.ttl("k"),
                c -> c.getOrSet("k", String.class, 60, () -> "x"));
        for (Consumer<FunctionCache> call : calls) {
            assertThatThrownBy(() -> call.accept(closed))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void closeIsIdempotent() {
        FunctionCache closing = open(namespace);
        closing.close();
        closing.close();
        assertThat(closing.toString()).contains("closed");
    }

    @Test
    void closingOneInstanceLeavesTheDataAndOtherInstancesWorking() {
        FunctionCache first = open(namespace);
        first.set("k", "v", 60);
        first.close();
        assertThat(cache.get("k", String.class)).isEqualTo("v");
        FunctionCache reopened = open(namespace);
        assertThat(reopened.get("k", String.class)).isEqualTo("v");
    }
}
