package dev.fncache.spring;

import dev.fncache.FunctionCache;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code fncache} in Actuator's health: up when the cache answers a read, down with the failure's
 * type when it does not. The starter puts it in the readiness group and leaves liveness alone, so
 * a store outage takes instances out of traffic without restarting them all.
 */
public final class FncacheHealthIndicator extends AbstractHealthIndicator {
    static final String PROBE_KEY = "fncache:health-probe";
    private final FunctionCache cache;

    public FncacheHealthIndicator(FunctionCache cache) {
        super("fncache health check failed");
        this.cache = cache;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        cache.has(PROBE_KEY);
        builder.up();
    }
}
