package dev.fncache.support;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a backend opens once per key (a file, a server's URL) and shares among the caches that
 * open it, closing it with the last of them. Opening runs outside any lock: an open that waits
 * for an unreachable server or a busy file holds up only the callers opening the same key,
 * which wait for that one attempt and share its outcome.
 *
 * @param <K> what identifies a resource
 * @param <R> the resource
 */
public final class OpenResources<K, R> {
    private final ConcurrentHashMap<K, Held<R>> held = new ConcurrentHashMap<>();

    /** Nothing open yet. */
    public OpenResources() {
    }

    private static final class Held<R> {
        final CompletableFuture<R> opened = new CompletableFuture<>();
        int users;
    }

    /** The resource open for {@code key}, opened now by {@code open} if none is; every call needs a {@link #release}. */
    public R acquire(K key, Function<? super K, ? extends R> open) {
        boolean[] mine = {false};
        Held<R> entry = held.compute(key, (k, current) -> {
            Held<R> use = current;
            if (use == null) {
                use = new Held<>();
                mine[0] = true;
            }
            use.users++;
            return use;
        });
        if (mine[0]) {
            try {
                R resource = open.apply(key);
                entry.opened.complete(resource);
                return resource;
            } catch (RuntimeException | Error e) {
                held.remove(key, entry);
                entry.opened.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return entry.opened.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** Gives back one use of {@code resource}; the last one closes it with {@code close}. */
    public void release(K key, R resource, Consumer<? super R> close) {
        boolean[] last = {false};
        held.computeIfPresent(key, (k, entry) -> {
            if (entry.opened.getNow(null) != resource) {
                return entry;
            }
            if (--entry.users > 0) {
                return entry;
            }
            last[0] = true;
            return null;
        });
        if (last[0]) {
            close.accept(resource);
        }
    }
}
