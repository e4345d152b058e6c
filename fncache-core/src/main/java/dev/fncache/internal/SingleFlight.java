package dev.fncache.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs at most one computation per flight key at a time in this JVM; callers that arrive while it
 * runs wait for its result, or its exception, instead of computing again.
 */
final class SingleFlight {
    private static final ConcurrentHashMap<String, Flight> IN_FLIGHT = new ConcurrentHashMap<>();

    private SingleFlight() {
    }

    /** The result of {@code work}, computed by this thread or shared from the one computing it now. */
    static byte[] run(String flightKey, Supplier<byte[]> work) {
        Flight mine = new Flight(Thread.currentThread());
        Flight running = IN_FLIGHT.putIfAbsent(flightKey, mine);
        if (running != null) {
            if (running.owner == Thread.currentThread()) {
                throw new IllegalStateException("getOrSet's loader called getOrSet for the same key on the same "
                        + "thread, which would wait for itself forever");
            }
            return running.await();
        }
        try {
            byte[] result = work.get();
            mine.result.complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            mine.result.completeExceptionally(e);
            throw e;
        } finally {
            IN_FLIGHT.remove(flightKey, mine);
        }
    }

    private static final class Flight {
        final Thread owner;
        final CompletableFuture<byte[]> result = new CompletableFuture<>();

        Flight(Thread owner) {
            this.owner = owner;
        }

        byte[] await() {
            try {
                return result.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        }
    }
}
