package dev.fncache.examples;

import dev.fncache.FunctionCache;
import java.util.function.Function;

/** Caller lookup: a slow customer directory in front of which the cache keeps answers for five minutes. */
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
    public Customer byPhone(String phone) {
        return cache.getOrSet("customer:" + phone, Customer.class, 300, () -> directory.apply(phone));
    }
    // README: end
}
