package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.FunctionCache;
import dev.fncache.KeyPage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** CONTRACT rule 21: {@code keys(pattern, limit, cursor)} pages, in code point order. */
public abstract class PagedKeysContract extends ContractSupport {

    /** Every key of the walk, page by page, with the page sizes seen. */
    private static List<String> walk(FunctionCache cache, String pattern, int limit, List<Integer> pageSizes) {
        List<String> keys = new ArrayList<>();
        String cursor = null;
        do {
            KeyPage page = cache.keys(pattern, limit, cursor);
            assertThat(page.keys()).hasSizeLessThanOrEqualTo(limit);
            pageSizes.add(page.keys().size());
            keys.addAll(page.keys());
            cursor = page.nextCursor();
        } while (cursor != null);
        return keys;
    }

    private void storeNumbered(String prefix, int count) {
        Map<String, Integer> entries = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            entries.put(String.format("%s%05d", prefix, i), i);
            if (entries.size() == 1_000) {
                cache.setMany(entries, 600);
                entries.clear();
            }
        }
        if (!entries.isEmpty()) {
            cache.setMany(entries, 600);
        }
    }

    @Test
    void pagesWalkEveryMatchingKeyOnceInCodePointOrder() {
        for (String key : List.of("d", "a", "c", "b", "e", "B")) {
            cache.set(key, 1, 60);
        }
        KeyPage first = cache.keys("*", 2, null);
        assertThat(first.keys()).containsExactly("B", "a");
        assertThat(first.nextCursor()).isNotNull();
        KeyPage second = cache.keys("*", 2, first.nextCursor());
        assertThat(second.keys()).containsExactly("b", "c");
        KeyPage third = cache.keys("*", 2, second.nextCursor());
        assertThat(third.keys()).containsExactly("d", "e");
        assertThat(third.nextCursor()).isNull();
        assertThat(third.hasMore()).isFalse();
    }

    @Test
    void lastPageHasNoNextCursor() {
        cache.set("a", 1, 60);
        cache.set("b", 1, 60);
        KeyPage page = cache.keys("*", 2, null);
        assertThat(page.keys()).containsExactly("a", "b");
        assertThat(page.nextCursor()).as("exactly limit keys left: no empty page after").isNull();
        assertThat(cache.keys("*", 10, null).nextCursor()).isNull();
    }

    @Test
    void emptyNamespaceGivesOneEmptyPageWithoutCursor() {
        KeyPage page = cache.keys("*", 100, null);
        assertThat(page.keys()).isEmpty();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void keysAddedAndRemovedBetweenPagesNeverRepeatAndKeysPresentThroughoutAreAllReturned() {
        storeNumbered("k", 300);
        Set<String> removed = new HashSet<>();
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            KeyPage page = cache.keys("k*", 40, cursor);
            seen.addAll(page.keys());
            cursor = page.nextCursor();
            pages++;
            cache.set(String.format("k%05d-added-%d", pages * 37 % 300, pages), 1, 60);
            String victim = String.format("k%05d", (pages * 53 + 7) % 300);
            if (cache.delete(victim)) {
                removed.add(victim);
            }
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).isSortedAccordingTo(PagedKeysContract::codePointOrder);
        for (int i = 0; i < 300; i++) {
            String key = String.format("k%05d", i);
            if (!removed.contains(key)) {
                assertThat(seen).as("a key present for the whole walk").contains(key);
            }
        }
    }

    @Test
    void aNamespaceOf25000KeysIsWalkedInPagesOf1000() {
        storeNumbered("call:", 25_000);
        cache.set("other", 1, 60);
        List<Integer> pageSizes = new ArrayList<>();
        List<String> keys = walk(cache, "call:*", 1_000, pageSizes);
        assertThat(keys).hasSize(25_000).doesNotHaveDuplicates();
        assertThat(keys).isEqualTo(IntStream.range(0, 25_000).mapToObj(i -> String.format("call:%05d", i)).toList());
        assertThat(pageSizes).hasSize(25).containsOnly(1_000);
    }

    @Test
    void expiredKeysAreNeverPaged() {
        assumeInjectedClock();
        cache.set("a", 1, 10);
        cache.set("b", 1, 60);
        cache.set("c", 1, 10);
        cache.set("d", 1, 60);
        KeyPage first = cache.keys("*", 1, null);
        assertThat(first.keys()).containsExactly("a");
        advance(Duration.ofSeconds(10));
        List<String> rest = walk(cache, "*", 1, new ArrayList<>());
        assertThat(rest).containsExactly("b", "d");
        assertThat(cache.keys("*", 1, first.nextCursor()).keys()).containsExactly("b");
    }

    @Test
    void pagesFollowCodePointOrderWhereStringCompareToDiffers() {
        String halfwidthIdeographicStop = "\uFF61";
        String telephoneReceiver = "\uD83D\uDCDE";
        cache.set(telephoneReceiver, 1, 60);
        cache.set(halfwidthIdeographicStop, 1, 60);
        cache.set("z", 1, 60);
        assertThat(walk(cache, "*", 1, new ArrayList<>())).containsExactly("z", halfwidthIdeographicStop, telephoneReceiver);
        assertThat(cache.keys()).as("keys() takes the same order (rule 7)")
                .containsExactly("z", halfwidthIdeographicStop, telephoneReceiver);
    }

    @Test
    void patternFiltersEveryPage() {
        for (String key : List.of("session:1", "session:2", "user:1", "session:3", "sessionx", "a", "session:4")) {
            cache.set(key, 1, 60);
        }
        assertThat(walk(cache, "session:*", 3, new ArrayList<>()))
                .containsExactly("session:1", "session:2", "session:3", "session:4");
        assertThat(walk(cache, "*:1", 1, new ArrayList<>())).containsExactly("session:1", "user:1");
        assertThat(walk(cache, "user:1", 5, new ArrayList<>())).containsExactly("user:1");
        assertThat(walk(cache, "nothing*", 5, new ArrayList<>())).isEmpty();
    }

    @Test
    void cursorFromOneInstanceContinuesTheWalkOnAnother() {
        for (String key : List.of("a", "b", "c", "d")) {
            cache.set(key, 1, 60);
        }
        KeyPage first = cache.keys("*", 2, null);
        FunctionCache other = openSecondInstance(namespace);
        KeyPage second = other.keys("*", 2, first.nextCursor());
        assertThat(second.keys()).containsExactly("c", "d");
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void limitOutsideItsBoundsIsRejected() {
        assertThatThrownBy(() -> cache.keys("*", 0, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be between 1 and 10000, but was 0");
        assertThatThrownBy(() -> cache.keys("*", 10_001, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be between 1 and 10000, but was 10001");
        assertThat(cache.keys("*", 10_000, null).keys()).isEmpty();
    }

    @Test
    void cursorThisMethodDidNotReturnIsRejected() {
        cache.set("a", 1, 60);
        for (String bad : List.of("", "a", "k1.", "k1.!!!", "k1._w", "k2.YQ")) {
            assertThatThrownBy(() -> cache.keys("*", 10, bad)).as("cursor %s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cursor must be null or a nextCursor returned by keys(pattern, limit, cursor), but was");
        }
        assertThatThrownBy(() -> cache.keys("[", 10, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pattern");
    }

    private static int codePointOrder(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }
}
