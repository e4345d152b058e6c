package dev.fncache;

import java.util.List;

/**
 * One page of {@link FunctionCache#keys(String, int, String)}: keys in Unicode code point order,
 * and the cursor of the next page, or null when the walk is over.
 *
 * @param keys the page's keys, unmodifiable; empty only when nothing (or nothing more) matched
 * @param nextCursor the opaque text that asks for the next page, or null after the last one
 */
public record KeyPage(List<String> keys, @org.jspecify.annotations.Nullable String nextCursor) {

    public KeyPage {
        keys = List.copyOf(keys);
    }

    /** Whether another page may follow: {@link #nextCursor()} is not null. */
    public boolean hasMore() {
        return nextCursor != null;
    }
}
