package dev.fncache.spring;

import dev.fncache.FunctionCache;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/** A Spring Boot application as a user writes one: a service with cached methods, nothing else configured. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableCaching
@Import(CustomerApp.Customers.class)
public class CustomerApp {

    public record Customer(String id, String name, Instant since) {
    }

    /** Counts each real call, so a test sees which calls the cache answered. */
    public static class Customers {
        final AtomicInteger calls = new AtomicInteger();
        private final FunctionCache cache;

        public Customers(FunctionCache cache) {
            this.cache = cache;
        }

        /** How many calls ran the method (a method, since the cached bean is a proxy). */
        public int calls() {
            return calls.get();
        }

        @Cacheable("customers")
        public Customer find(String id) {
            calls.incrementAndGet();
            return new Customer(id, "name of " + id, Instant.parse("2026-12-03T10:00:00Z"));
        }

        /** Loads once across every instance: counts its calls in the shared cache too, then takes its time. */
        @Cacheable(cacheNames = "customers", sync = true)
        public Customer findOnce(String id) throws InterruptedException {
            calls.incrementAndGet();
            cache.increment("loads-of-" + id, 1, Duration.ofMinutes(5));
            Thread.sleep(500);
            return new Customer(id, "loaded once", Instant.parse("2026-12-03T10:00:00Z"));
        }

        @Cacheable("tags")
        public List<String> tags(String id, int count) {
            calls.incrementAndGet();
            return java.util.stream.IntStream.range(0, count).mapToObj(i -> id + "-" + i).toList();
        }

        @Cacheable("maybe")
        public Optional<Customer> maybe(String id) {
            calls.incrementAndGet();
            return Optional.of(new Customer(id, "maybe", Instant.parse("2026-12-03T10:00:00Z")));
        }

        @Cacheable("async")
        public CompletableFuture<Customer> findAsync(String id) {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(new Customer(id, "async", Instant.parse("2026-12-03T10:00:00Z")));
        }

        @Cacheable(cacheNames = "async", sync = true)
        public CompletableFuture<Customer> findAsyncOnce(String id) {
            calls.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> new Customer(id, "async once", Instant.parse("2026-12-03T10:00:00Z")));
        }

        @Cacheable("short")
        public String shortLived(String id) {
            calls.incrementAndGet();
            return "short " + id;
        }

        @Cacheable("customers")
        public Customer missing(String id) {
            calls.incrementAndGet();
            return null;
        }

        @CachePut(cacheNames = "customers", key = "#customer.id()")
        public Customer save(Customer customer) {
            return customer;
        }

        @CacheEvict("customers")
        public void forget(String id) {
        }

        @CacheEvict(cacheNames = "customers", allEntries = true)
        public void forgetAll() {
        }
    }

    /** Starts the application on {@code url} and {@code namespace}, with {@code more} properties. */
    static ConfigurableApplicationContext start(String url, String namespace, String... more) {
        String[] properties = new String[more.length + 2];
        properties[0] = "fncache.url=" + url;
        properties[1] = "fncache.namespace=" + namespace;
        System.arraycopy(more, 0, properties, 2, more.length);
        return new SpringApplicationBuilder(CustomerApp.class).web(WebApplicationType.NONE)
                .properties(properties).run();
    }

    /**
     * One of several processes calling {@code findOnce(id)} together: starts, prints "ready",
     * waits for "go", calls, prints "got NAME between START END calls N" (wall-clock milliseconds) and exits. Arguments: url, namespace, id.
     */
    public static void main(String[] args) throws Exception {
        try (ConfigurableApplicationContext context = start(args[0], args[1], "spring.main.banner-mode=off",
                "logging.level.root=warn")) {
            Customers customers = context.getBean(Customers.class);
            System.out.println("ready");
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.UTF_8));
            if (!"go".equals(in.readLine())) {
                return;
            }
            long started = System.currentTimeMillis();
            Customer customer = customers.findOnce(args[2]);
            System.out.println("got " + customer.name() + " between " + started + " " + System.currentTimeMillis()
                    + " calls " + customers.calls());
        }
    }
}
