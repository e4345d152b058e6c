package dev.fncache.examples;

import dev.fncache.CacheEntry;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.RateLimit;
import dev.fncache.TypeRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
        List<String> callKeys = cache.keys("call:*");                   // sorted

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
}
