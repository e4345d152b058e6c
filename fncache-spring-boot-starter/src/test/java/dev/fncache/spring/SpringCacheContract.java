package dev.fncache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheEntry;
import dev.fncache.FunctionCache;
import dev.fncache.TypeRef;
import dev.fncache.spring.CustomerApp.Customer;
import dev.fncache.spring.CustomerApp.Customers;
import dev.fncache.tck.ChildJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a Spring Boot application gets from the starter, on one backend: a subclass gives the URL.
 * Each test starts the real application ({@link CustomerApp}) on a namespace of its own.
 */
abstract class SpringCacheContract {
    ConfigurableApplicationContext context;
    Customers customers;
    FunctionCache cache;
    String namespace;

    /** The URL of the backend under test, shared by every process of a test. */
    abstract String url();

    @BeforeEach
    void startApplication() {
        namespace = "spring-" + UUID.randomUUID().toString().substring(0, 8);
        context = CustomerApp.start(url(), namespace, "fncache.cache.ttls.short=2s");
        customers = context.getBean(Customers.class);
        cache = context.getBean(FunctionCache.class);
    }

    @AfterEach
    void stopApplication() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void aCacheableMethodRunsOnceAndItsValueIsReadBackAsItsReturnType() {
        Customer first = customers.find("42");
        Customer second = customers.find("42");

        assertThat(second).isEqualTo(first).isInstanceOf(Customer.class);
        assertThat(customers.calls()).isEqualTo(1);
        assertThat(context.getBean(CacheManager.class)).isInstanceOf(FncacheCacheManager.class);
    }

    @Test
    void valuesAreStoredAsPlainJsonUnderTheCachesNameWithTheConfiguredTtl() {
        customers.find("42");
        customers.shortLived("7");

        Map<String, Object> stored = cache.get("customers:\"42\"", new TypeRef<Map<String, Object>>() { });
        assertThat(stored).containsEntry("id", "42").containsEntry("name", "name of 42")
                .containsEntry("since", "2026-12-03T10:00:00Z").hasSize(3);
        CacheEntry<Map<String, Object>> entry = cache.getEntry("customers:\"42\"", new TypeRef<Map<String, Object>>() { });
        assertThat(entry.ttl()).isGreaterThan(Duration.ofMinutes(59)).isLessThanOrEqualTo(Duration.ofHours(1));
        assertThat(cache.getEntry("short:\"7\"", String.class).ttl()).isLessThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void cachePutReplacesCacheEvictRemovesAndAllEntriesClearsOnlyItsOwnCache() {
        customers.find("1");
        customers.find("2");
        customers.tags("1", 2);
        customers.save(new Customer("1", "renamed", null));
        assertThat(customers.find("1").name()).isEqualTo("renamed");

        customers.forget("1");
        assertThat(customers.find("1").name()).isEqualTo("name of 1");
        assertThat(customers.calls()).isEqualTo(4);

        customers.forgetAll();
        assertThat(cache.keys("customers:*")).isEmpty();
        assertThat(cache.keys("tags:*")).hasSize(1);
    }

    @Test
    void severalParametersGenericTypesAndOptionalsAreKeysAndValuesAsDeclared() {
        assertThat(customers.tags("a", 2)).containsExactly("a-0", "a-1");
        assertThat(customers.tags("a", 2)).containsExactly("a-0", "a-1");
        assertThat(customers.tags("a", 3)).hasSize(3);
        assertThat(customers.maybe("m")).map(Customer::name).contains("maybe");
        assertThat(customers.maybe("m")).isInstanceOf(Optional.class).map(Customer::id).contains("m");

        assertThat(customers.calls()).isEqualTo(3);
        assertThat(cache.keys("tags:*")).containsExactlyInAnyOrder("tags:[\"a\",2]", "tags:[\"a\",3]");
    }

    @Test
    void asyncMethodsAreCachedThroughRetrieve() throws Exception {
        assertThat(customers.findAsync("x").get().name()).isEqualTo("async");
        assertThat(customers.findAsync("x").get()).isInstanceOf(Customer.class);
        assertThat(customers.findAsyncOnce("y").get().name()).isEqualTo("async once");
        assertThat(customers.findAsyncOnce("y").get().name()).isEqualTo("async once");
        assertThat(customers.calls()).isEqualTo(2);
    }

    @Test
    void aSyncCacheableLoadsOnceForManyThreads() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Customer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(threads.submit(() -> customers.findOnce("s")));
            }
            for (Future<Customer> call : calls) {
                assertThat(call.get().name()).isEqualTo("loaded once");
            }
        } finally {
            threads.shutdown();
        }
        assertThat(customers.calls()).isEqualTo(1);
    }

    @Test
    @Tag("real-process")
    void aSyncCacheableCalledByThreeProcessesAtOnceRunsOnce() throws Exception {
        List<ChildJvm> processes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                processes.add(ChildJvm.start(CustomerApp.class, url(), namespace, "shared"));
            }
            for (ChildJvm process : processes) {
                process.awaitLine("ready");
            }
            processes.forEach(process -> process.send("go"));
            int calls = 0;
            long lastStart = Long.MIN_VALUE;
            long firstEnd = Long.MAX_VALUE;
            for (ChildJvm process : processes) {
                String[] words = process.awaitLineStartingWith("got ").split(" ");
                assertThat(String.join(" ", words)).startsWith("got loaded once between ");
                lastStart = Math.max(lastStart, Long.parseLong(words[4]));
                firstEnd = Math.min(firstEnd, Long.parseLong(words[5]));
                calls += Integer.parseInt(words[7]);
            }
            assertThat(lastStart).as("every call began before any ended (they raced)").isLessThan(firstEnd);
            assertThat(calls).as("method calls in all three processes").isEqualTo(1);
            assertThat(cache.get("loads-of-shared", Long.class)).isEqualTo(1L);
        } finally {
            processes.forEach(ChildJvm::close);
        }
    }

    @Test
    void aNullResultIsRefusedNamingTheRuleAndTheWayOut() {
        assertThatThrownBy(() -> customers.missing("none")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cache 'customers' does not store null values")
                .hasMessageContaining("unless = \"#result == null\"");
    }

    @Test
    void theHealthIndicatorIsUpWhileTheCacheAnswers() {
        Health health = context.getBean(FncacheHealthIndicator.class).health(true);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(context.getEnvironment().getProperty("management.endpoint.health.group.readiness.include"))
                .isEqualTo("readinessState,fncache");
    }
}
