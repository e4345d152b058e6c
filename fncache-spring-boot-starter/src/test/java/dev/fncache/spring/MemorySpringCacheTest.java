package dev.fncache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;

class MemorySpringCacheTest extends SpringCacheContract {
    @Override
    String url() {
        return "memory:";
    }

    @Test
    @Override
    void aSyncCacheableCalledByThreeProcessesAtOnceRunsOnce() {
        assumeTrue(false, "memory: is one process's own: processes share nothing");
    }

    /** An application that has a meter registry, as one with Actuator's metrics does. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class WithMeters {
        @org.springframework.context.annotation.Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Test
    void theCachesMetersGoToTheApplicationsRegistry() {
        try (var withMeters = new org.springframework.boot.builder.SpringApplicationBuilder(CustomerApp.class,
                WithMeters.class).web(org.springframework.boot.WebApplicationType.NONE)
                .properties("fncache.url=memory:", "fncache.namespace=metered").run()) {
            CustomerApp.Customers metered = withMeters.getBean(CustomerApp.Customers.class);
            metered.find("1");
            metered.find("1");
            SimpleMeterRegistry registry = withMeters.getBean(SimpleMeterRegistry.class);
            assertThat(registry.get("cache.gets").tags("cache", "metered", "result", "hit").counter().count())
                    .isEqualTo(1.0);
            assertThat(registry.get("cache.gets").tags("cache", "metered", "result", "miss").counter().count())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void withoutANamespaceTheApplicationDoesNotStartAndSaysWhichPropertyToSet() {
        assertThatThrownBy(() -> new org.springframework.boot.builder.SpringApplicationBuilder(CustomerApp.class)
                .web(org.springframework.boot.WebApplicationType.NONE).properties("fncache.url=memory:").run())
                .isInstanceOf(BeanCreationException.class).rootCause()
                .hasMessageContaining("fncache.namespace (or spring.application.name) must be set");
    }

    @Test
    void aBadTtlIsRefusedAtStartNamingTheProperty() {
        assertThatThrownBy(() -> CustomerApp.start("memory:", "bad-ttl", "fncache.cache.ttls.customers=0s"))
                .rootCause().hasMessage("fncache.cache.ttls.customers must be between 1 ms and 10 years, but was PT0S");
    }
}
