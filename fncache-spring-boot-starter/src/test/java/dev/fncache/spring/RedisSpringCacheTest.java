package dev.fncache.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

@Tag("real-process")
class RedisSpringCacheTest extends SpringCacheContract {
    static RedisServerProcess server;

    @BeforeAll
    static void startServer() {
        RedisServerProcess.requireRedisServer();
        server = RedisServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    String url() {
        return server.url() + "?timeout=500ms";
    }

    @Test
    void whileRedisIsDownReadinessIsDownAndLivenessStaysUp() throws Exception {
        try (ConfigurableApplicationContext withEndpoint = CustomerApp.start(url(), namespace + "-probes",
                "spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=health")) {
            HealthEndpoint health = withEndpoint.getBean(HealthEndpoint.class);
            assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
            assertThat(health.healthForPath("fncache").getStatus()).isEqualTo(Status.UP);
            server.stop();
            try {
                assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
            } finally {
                server.restart();
            }
        }
    }

    @Test
    void theHealthIndicatorIsDownWhileRedisIsDownAndUpAgainAfter() throws Exception {
        FncacheHealthIndicator health = context.getBean(FncacheHealthIndicator.class);
        server.stop();
        try {
            assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.health(true).getDetails().toString()).doesNotContain("password");
        } finally {
            server.restart();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (health.health(true).getStatus() != Status.UP) {
            assertThat(System.nanoTime()).as("up within 10 s of the restart").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
