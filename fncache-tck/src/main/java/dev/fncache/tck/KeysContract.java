package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CONTRACT rule 7: keys and Redis-style glob patterns, sorted by {@link String#compareTo}. */
public abstract class KeysContract extends ContractSupport {

    private void store(String... keys) {
        for (String key : keys) {
            cache.set(key, 1, 60);
        }
    }

    @Test
    void keysListsEveryLiveKeySorted() {
        store("b", "a", "c:1", "A");
        assertThat(cache.keys()).containsExactly("A", "a", "b", "c:1");
    }

    @Test
    void keysOfAnEmptyNamespaceIsEmpty() {
        assertThat(cache.keys()).isEmpty();
        assertThat(cache.keys("*")).isEmpty();
    }

    /** Regression: keys("k*") gave [ka, k😀, k｡] while keys("k*", 10, null) gave [ka, k｡, k😀]. */
    @Test
    void sortingFollowsCodePointOrderAsPagesDoEvenWhereStringCompareToDiffers() {
        String halfwidthIdeographicStop = "\uFF61";
        String telephoneReceiver = "\uD83D\uDCDE";
        store(halfwidthIdeographicStop, telephoneReceiver, "z");
        assertThat(cache.keys()).containsExactly("z", halfwidthIdeographicStop, telephoneReceiver);
        assertThat(cache.keys("*")).containsExactly("z", halfwidthIdeographicStop, telephoneReceiver);
        assertThat(cache.keys("*")).isEqualTo(cache.keys("*", 10, null).keys());
    }

    @Test
    void starMatchesAnyRunIncludingAnEmptyOne() {
        store("session:", "session:1", "session:22", "sessions", "user:1");
        assertThat(cache.keys("session:*")).containsExactly("session:", "session:1", "session:22");
        assertThat(cache.keys("*:1")).containsExactly("session:1", "user:1");
        assertThat(cache.keys("s*s*")).containsExactly("session:", "session:1", "session:22", "sessions");
    }

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        store("ab", "a1b", "a12b", "a\u00e9b", "a\uD83D\uDCDEb");
        assertThat(cache.keys("a?b")).containsExactly("a1b", "a\u00e9b", "a\uD83D\uDCDEb");
    }

    @Test
    void bracketClassesRangesAndNegation() {
        store("call-a", "call-b", "call-c", "call-x", "call-7");
        assertThat(cache.keys("call-[ab]")).containsExactly("call-a", "call-b");
        assertThat(cache.keys("call-[a-c]")).containsExactly("call-a", "call-b", "call-c");
        assertThat(cache.keys("call-[^a-c]")).containsExactly("call-7", "call-x");
        assertThat(cache.keys("call-[0-9x]")).containsExactly("call-7", "call-x");
    }

    @Test
    void bracketEdgeCasesAreLiteral() {
        store("a", "-", "]", "^", "b");
        assertThat(cache.keys("[a-]")).containsExactly("-", "a");
        assertThat(cache.keys("[]]")).containsExactly("]");
        assertThat(cache.keys("[^]]")).containsExactly("-", "^", "a", "b");
        assertThat(cache.keys("[\\^]")).containsExactly("^");
    }

    @Test
    void backslashEscapesAWildcardSoItMatchesOnlyItself() {
        store("a*b", "axb", "a?b", "a[1]b", "a1b", "a\\b");
        assertThat(cache.keys("a\\*b")).containsExactly("a*b");
        assertThat(cache.keys("a\\?b")).containsExactly("a?b");
        assertThat(cache.keys("a\\[1\\]b")).containsExactly("a[1]b");
        assertThat(cache.keys("a\\\\b")).containsExactly("a\\b");
        assertThat(cache.keys("a\\*b*")).containsExactly("a*b");
    }

    @Test
    void keysContainingSqlAndGlobSpecialCharactersMatchOnlyAsTheGlobSays() {
        store("50%_off:1", "50%_off:2", "50x_off:1", "505_off:1", "a'b", "a\"b");
        assertThat(cache.keys("50%_off:*")).containsExactly("50%_off:1", "50%_off:2");
        assertThat(cache.keys("50%_off:?")).containsExactly("50%_off:1", "50%_off:2");
        assertThat(cache.keys("a'*")).containsExactly("a'b");
    }

    @Test
    void literalPatternMatchesOnlyThatKey() {
        store("session:1", "session:10");
        assertThat(cache.keys("session:1")).containsExactly("session:1");
        assertThat(cache.keys("session:2")).isEmpty();
    }

    @Test
    void prefixPatternFindsKeysWhoseNextCharacterIsTheHighestCodePoint() {
        String highest = "p:\uDBFF\uDFFF";
        store("p", "p:", highest, highest + "x", "q");
        assertThat(cache.keys("p:*")).containsExactly("p:", highest, highest + "x");
    }

    @Test
    void patternMatchesTheWholeKeyNotASubstring() {
        store("xsessionx");
        assertThat(cache.keys("session")).isEmpty();
        assertThat(cache.keys("*session*")).containsExactly("xsessionx");
    }

    @Test
    void malformedPatternsAreRejectedWithTheirReason() {
        assertThatThrownBy(() -> cache.keys("session:[abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never closed")
                .hasMessageContaining("'session:[abc'");
        assertThatThrownBy(() -> cache.keys("trailing\\"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends with an unescaped '\\'");
        assertThatThrownBy(() -> cache.keys("[]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.keys(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pattern");
    }

    @Test
    void returnedListIsASnapshotThatCannotBeModified() {
        store("a");
        List<String> keys = cache.keys();
        cache.set("b", 1, 60);
        assertThat(keys).containsExactly("a");
        assertThatThrownBy(() -> keys.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
