package dev.fncache.examples;

import dev.fncache.FunctionCache;
import dev.fncache.LoadPolicy;
import java.time.Duration;
import java.util.function.Function;

/**
 * Caller lookup: a slow customer directory in front of which the cache keeps answers for five
 * minutes, and answers the last one for a day while the directory fails or is slower than 300 ms.
 */
public final class CustomerLookup {

    /** A customer record as the directory returns it. */
    public record Customer(String phone, String name, String tier) {
    }

    private final FunctionCache cache;
    private final Function<String, Customer> directory;

    public CustomerLookup(FunctionCache cache, Function<String, Customer> directory) {
        this.cache = cache;
        this.directory = directory;
    }

    // README: caller lookup
    static final LoadPolicy CUSTOMERS = LoadPolicy.ttl(Duration.ofMinutes(5))
            .staleFor(Duration.ofDays(1))              // the last answer, while the directory is down...
            .softTimeout(Duration.ofMillis(300));      // ...or slow; its answer is stored when it comes

    public Customer byPhone(String phone) {
        return cache.getOrSet("customer:" + phone, Customer.class, CUSTOMERS, () -> directory.apply(phone));
    }
    // README: end
}
