package dev.fncache.examples;

import dev.fncache.FunctionCache;
import dev.fncache.LoadPolicy;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private final Function<Collection<String>, List<Customer>> directoryBatch;
    private final LoadPolicy policy;

    public CustomerLookup(FunctionCache cache, Function<String, Customer> directory) {
        this(cache, directory, CUSTOMERS);
    }

    /** With another policy than {@link #CUSTOMERS} (the voice demo's {@code CUSTOMER_TTL_SECONDS}). */
    public CustomerLookup(FunctionCache cache, Function<String, Customer> directory, LoadPolicy policy) {
        this(cache, directory, phones -> phones.stream().map(directory).toList(), policy);
    }

    /** With a directory that also looks up many phones in one request. */
    public CustomerLookup(FunctionCache cache, Function<String, Customer> directory,
            Function<Collection<String>, List<Customer>> directoryBatch) {
        this(cache, directory, directoryBatch, CUSTOMERS);
    }

    private CustomerLookup(FunctionCache cache, Function<String, Customer> directory,
            Function<Collection<String>, List<Customer>> directoryBatch, LoadPolicy policy) {
        this.cache = cache;
        this.directory = directory;
        this.directoryBatch = directoryBatch;
        this.policy = policy;
    }

    // README: caller lookup
    public static final LoadPolicy CUSTOMERS = LoadPolicy.ttl(Duration.ofMinutes(5))
            .staleFor(Duration.ofDays(1))              // the last answer, while the directory is down...
            .softTimeout(Duration.ofMillis(300));      // ...or slow; its answer is stored when it comes

    public Customer byPhone(String phone) {
        return cache.getOrSet("customer:" + phone, Customer.class, policy, () -> directory.apply(phone));  // CUSTOMERS
    }
    // README: end

    // README: caller lookup, many at once
    public Map<String, Customer> byPhones(List<String> phones) {  // e.g. every participant of a conference
        List<String> keys = phones.stream().map(phone -> "customer:" + phone).toList();
        return cache.getOrSetMany(keys, Customer.class, policy, missing -> {  // one directory request
            Map<String, Customer> found = new HashMap<>();
            for (Customer customer : directoryBatch.apply(missing.stream().map(key -> key.substring(9)).toList())) {
                found.put("customer:" + customer.phone(), customer);
            }
            return found;
        });
    }
    // README: end
}
