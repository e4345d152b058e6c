package dev.fncache.internal;

import dev.fncache.CacheLoadTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs at most one computation per flight key at a time in this JVM; callers that arrive while it
 * runs wait for its result, or its exception (checked ones included), instead of computing again,
 * and give up after a bound so that two loaders waiting for each other cannot hang forever.
 */
public final class SingleFlight {
    /** Static because a flight is JVM-wide: two caches on one store in one JVM must share a key's load. */
    private static final ConcurrentHashMap<String, Flight> IN_FLIGHT = new ConcurrentHashMap<>();

    private SingleFlight() {
    }

    /**
     * The result of {@code work}, computed by this thread or shared from the one computing it now.
     * A waiter gives up after {@code waitMillis} with a {@link CacheLoadTimeoutException} naming
     * {@code what}.
     */
    public static <R> R run(String flightKey, String what, long waitMillis, Supplier<R> work) {
        Flight mine = new Flight(Thread.currentThread());
        Flight running = IN_FLIGHT.putIfAbsent(flightKey, mine);
        if (running != null) {
            if (running.owner == Thread.currentThread()) {
                throw new IllegalStateException("getOrSet's loader called getOrSet for the same key on the same "
                        + "thread, which would wait for itself forever");
            }
            @SuppressWarnings("unchecked")
            R shared = (R) running.await(what, waitMillis);
            return shared;
        }
        try {
            R result = work.get();
            mine.result.complete(result);
            return result;
        } catch (Throwable e) {
            mine.result.completeExceptionally(e);
            throw e;
        } finally {
            IN_FLIGHT.remove(flightKey, mine);
        }
    }

    private static final class Flight {
        final Thread owner;
        final CompletableFuture<Object> result = new CompletableFuture<>();

        Flight(Thread owner) {
            this.owner = owner;
        }

        Object await(String what, long waitMillis) {
            try {
                return result.get(waitMillis, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw Flight.<RuntimeException>sneaky(e.getCause());
            } catch (TimeoutException e) {
                throw new CacheLoadTimeoutException("getOrSet of " + what + " waited " + waitMillis
                        + " ms (twice the load timeout) for the loader another thread is running, and gave up; "
                        + "a loader that calls getOrSet for a key whose loader waits for it can cause this");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CacheLoadTimeoutException("getOrSet of " + what + " was interrupted while waiting for a loader");
            }
        }

        /** Rethrows the loader's own exception, checked or not, as the caller's loader threw it. */
        @SuppressWarnings("unchecked")
        private static <E extends Throwable> E sneaky(Throwable failure) throws E {
            throw (E) failure;
        }
    }
}
