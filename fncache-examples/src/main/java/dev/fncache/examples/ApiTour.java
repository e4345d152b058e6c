package dev.fncache.examples;

import dev.fncache.CacheEntry;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.KeyPage;
import dev.fncache.micrometer.FunctionCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import dev.fncache.RateLimit;
import dev.fncache.TypeRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The README's API tour, compiled and run by the tests. */
final class ApiTour {
    record Call(String id, String from, Instant at) {
    }

    private ApiTour() {
    }

    static void opening(Clock clock) {
        // README: opening
        FunctionCache dev = FunctionCaches.open("voice-ivr");                           // FNCACHE_URL, else memory:
        FunctionCache onDisk = FunctionCaches.open("sqlite:./data/cache.db", "voice-ivr");
        FunctionCache tuned = FunctionCaches.builder()
                .url("memory:tests").namespace("voice-ivr")
                .clock(clock)                                   // TTLs follow this clock (memory, sqlite)
                .maxValueBytes(64 * 1024)                       // default 1 MiB
                .build();
        // README: end
        dev.close();
        onDisk.close();
        tuned.close();
    }

    static void tour(FunctionCache cache) {
        // README: tour
        cache.set("greeting", "hello");                                 // TTL 1 hour
        cache.set("call:CA1", new Call("CA1", "+4670", Instant.now()), 600);
        cache.set("otp:+4670", 123456, Duration.ofSeconds(90));

        Call call = cache.get("call:CA1", Call.class);                  // null when absent or expired
        List<Call> recent = cache.get("recent", new TypeRef<List<Call>>() {});
        Map<String, Call> calls = cache.getMany(List.of("call:CA1", "call:CA2"), Call.class);

        boolean present = cache.has("otp:+4670");
        Duration left = cache.ttl("otp:+4670");                         // null when absent
        cache.extend("call:CA1", 300);                                  // 5 more minutes
        List<String> callKeys = cache.keys("call:*");                   // code point order

        long attempts = cache.increment("attempts:+4670", 1, 3600);     // atomic, TTL set on creation
        boolean won = cache.setIfAbsent("lock:CA1", "worker-7", 30);    // exactly one caller wins
        cache.delete("lock:CA1");
        // README: end
        if (call == null || recent != null || calls.size() != 1 || !present || left == null
                || !callKeys.equals(List.of("call:CA1")) || attempts != 1 || !won) {
            throw new IllegalStateException("the API tour did not behave as the README says");
        }
    }

    record Cart(List<String> items) {
        Cart with(String item) {
            List<String> more = new java.util.ArrayList<>(items);
            more.add(item);
            return new Cart(more);
        }
    }

    static void manyInstances(FunctionCache cache) {
        // README: many instances
        CacheEntry<Cart> entry = cache.getEntry("cart:CA1", Cart.class);        // value, ttl and version; null when absent
        boolean stored = cache.replace("cart:CA1", entry == null ? null : entry.version(),
                new Cart(List.of("ivr-menu")), 600);                            // false if anyone wrote it since
        Cart cart = cache.update("cart:CA1", Cart.class, 600,                   // read, apply, compare-and-set, retry
                current -> current == null ? new Cart(List.of("agent")) : current.with("agent"));
        RateLimit limit = cache.rateLimit("sms:+4670", 10, Duration.ofHours(1)); // sliding window, any instance
        if (!limit.allowed()) {
            System.out.println("retry in " + limit.retryAfter().toSeconds() + " s");
        }
        String name = cache.getOrSet("customer:+4670", String.class, Duration.ofMinutes(5),
                () -> "Alice");                                                 // once across every instance
        // README: end
        if (!stored || !cart.items().equals(List.of("ivr-menu", "agent")) || !limit.allowed() || !"Alice".equals(name)) {
            throw new IllegalStateException("the many-instances example did not behave as the README says");
        }
    }

    static List<String> bulk(FunctionCache cache) {
        // README: bulk
        cache.setMany(Map.of("call:CA1", "ringing", "call:CA2", "answered"), 600);   // one round trip
        List<String> sessions = new ArrayList<>();
        String cursor = null;
        do {                                                            // pages of up to 1,000, from the index
            KeyPage page = cache.keys("call:*", 1_000, cursor);
            sessions.addAll(page.keys());
            cursor = page.nextCursor();                                 // null after the last page
        } while (cursor != null);
        long gone = cache.deleteMany(List.of("call:CA1", "call:CA9"));   // 1: only CA1 was live
        long purged = cache.deleteAll("call:*");                        // in pages; never blocks the store
        // README: end
        if (!sessions.equals(List.of("call:CA1", "call:CA2")) || gone != 1 || purged != 1) {
            throw new IllegalStateException("the bulk example did not behave as the README says");
        }
        return sessions;
    }

    static FunctionCache withMetrics(MeterRegistry registry) {
        // README: metrics
        FunctionCache cache = FunctionCaches.builder()
                .url("memory:").namespace("voice-ivr")
                .stats(FunctionCacheMetrics.recorder(registry))         // cache.gets, cache.puts, fncache.operation, ...
                .build();
        // README: end
        return cache;
    }
}
