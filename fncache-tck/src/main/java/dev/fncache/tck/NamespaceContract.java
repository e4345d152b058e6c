package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CONTRACT rule 12: namespaces isolate, whatever key or pattern is given. */
public abstract class NamespaceContract extends ContractSupport {

    @Test
    void sameKeyInTwoNamespacesHoldsTwoValues() {
        FunctionCache other = open(freshNamespace());
        cache.set("k", "mine", 60);
        other.set("k", "theirs", 60);
        assertThat(cache.get("k", String.class)).isEqualTo("mine");
        assertThat(other.get("k", String.class)).isEqualTo("theirs");
    }

    @Test
    void noOperationReachesAnotherNamespace() {
        FunctionCache other = open(freshNamespace());
        other.set("secret", 41, 60);
        assertThat(cache.get("secret", Integer.class)).isNull();
        assertThat(cache.has("secret")).isFalse();
        assertThat(cache.ttl("secret")).isNull();
        assertThat(cache.getMany(List.of("secret"), Integer.class)).isEmpty();
        assertThat(cache.keys()).isEmpty();
        assertThat(cache.keys("*")).isEmpty();
        assertThat(cache.keys("*secret*")).isEmpty();
        assertThat(cache.delete("secret")).isFalse();
        assertThat(cache.extend("secret", 100)).isFalse();
        assertThat(cache.setIfAbsent("secret", 1, 60)).isTrue();
        assertThat(cache.increment("secret", 5, 60)).isEqualTo(6);
        assertThat(cache.getOrSet("secret", Integer.class, 60, () -> 0)).isEqualTo(6);
        assertThat(other.get("secret", Integer.class)).isEqualTo(41);
        assertThat(other.keys()).containsExactly("secret");
    }

    @Test
    void namespacesThatConcatenateToTheSameTextStayApart() {
        String base = freshNamespace();
        FunctionCache a = open(base);
        FunctionCache ab = open(base + ".b");
        FunctionCache aColon = open(base + "-");
        a.set(".b:c", "a", 60);
        a.set(".bc", "a2", 60);
        ab.set("c", "ab", 60);
        ab.set(":c", "ab2", 60);
        aColon.set("x", "a-", 60);
        assertThat(a.keys()).containsExactly(".b:c", ".bc");
        assertThat(ab.keys()).containsExactly(":c", "c");
        assertThat(aColon.keys()).containsExactly("x");
        assertThat(ab.get("c", String.class)).isEqualTo("ab");
        assertThat(a.get(".b:c", String.class)).isEqualTo("a");
    }

    @Test
    void keysThatLookLikeLayoutSyntaxStayInsideTheirNamespace() {
        FunctionCache other = open(freshNamespace());
        other.set("k", 1, 60);
        for (String key : List.of("}:k", "{" + namespace + "}:k", "../k", ":k", "*", "\\", "{}", "%", "_")) {
            cache.set(key, 2, 60);
        }
        assertThat(other.keys()).containsExactly("k");
        assertThat(other.get("k", Integer.class)).isEqualTo(1);
        assertThat(cache.keys()).hasSize(9);
    }

    @Test
    void patternsCannotEscapeTheNamespace() {
        FunctionCache other = open(freshNamespace());
        other.set("k", 1, 60);
        for (String pattern : List.of("*", "?", "*k*", "[a-z]", "\\*", "../*", "{*}*", "}*")) {
            assertThat(cache.keys(pattern)).as(pattern).isEmpty();
        }
    }

    @Test
    void namespaceNamesFollowTheRule() {
        for (String valid : List.of("a", "voice-ivr", "Voice_IVR.v2", "x".repeat(64))) {
            open(valid).close();
        }
        for (String invalid : List.of("", "x".repeat(65), "voice ivr", "voice:ivr", "a/b", "{a}", "a*", "ä")) {
            assertThatThrownBy(() -> FunctionCaches.open(backend().url(), invalid))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("namespace must be 1 to 64 of A-Z a-z 0-9 . _ -, but was");
        }
        assertThatThrownBy(() -> FunctionCaches.open(backend().url(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("namespace must not be null");
    }
}
