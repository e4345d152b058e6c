package dev.fncache.spring;

import dev.fncache.CacheStatsRecorder;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.micrometer.FunctionCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.cache.interceptor.KeyGenerator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.env.Environment;

/**
 * A {@link FunctionCache} bean from {@code fncache.url} and {@code fncache.namespace}; a Spring
 * {@link FncacheCacheManager} on it, with the {@link FncacheCacheResolver} and
 * {@link FncacheKeyGenerator} as the defaults of {@code @EnableCaching}; the cache's meters in
 * the application's {@link MeterRegistry} (unless {@code fncache.metrics.enabled=false}); the
 * {@link FncacheConsole} when {@code fncache.console.token} is set; and the {@code fncache} health
 * indicator in the readiness group. Each bean backs off when the application defines its own.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@EnableConfigurationProperties(FncacheProperties.class)
public class FncacheAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public FunctionCache functionCache(FncacheProperties properties, Environment environment,
            ObjectProvider<CacheStatsRecorder.Factory> stats) {
        FunctionCaches.Builder builder = FunctionCaches.builder().namespace(namespace(properties, environment))
                .url(url(properties));
        stats.ifAvailable(builder::stats);
        return builder.build();
    }

    static String namespace(FncacheProperties properties, Environment environment) {
        String namespace = properties.getNamespace() != null ? properties.getNamespace()
                : environment.getProperty("spring.application.name");
        if (namespace == null) {
            throw new IllegalArgumentException("fncache.namespace (or spring.application.name) must be set: the "
                    + "namespace every instance of the application shares, 1 to 64 of A-Z a-z 0-9 . _ -");
        }
        return namespace;
    }

    static String url(FncacheProperties properties) {
        return properties.getUrl() != null ? properties.getUrl() : FunctionCaches.urlFromEnvironment();
    }

    @Bean
    @ConditionalOnMissingBean(org.springframework.cache.CacheManager.class)
    public FncacheCacheManager cacheManager(FunctionCache functionCache, FncacheProperties properties) {
        return new FncacheCacheManager(functionCache, properties.getCache().getTtl(), properties.getCache().getTtls());
    }

    @Bean
    @ConditionalOnMissingBean(CachingConfigurer.class)
    public CachingConfigurer fncacheCachingConfigurer(ObjectProvider<FncacheCacheManager> manager) {
        return new CachingConfigurer() {
            @Override
            public CacheResolver cacheResolver() {
                return new FncacheCacheResolver(manager.getObject());
            }

            @Override
            public KeyGenerator keyGenerator() {
                return new FncacheKeyGenerator();
            }
        };
    }

    /** The cache's meters, when Micrometer and fncache-micrometer are on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry",
            "dev.fncache.micrometer.FunctionCacheMetrics"})
    @ConditionalOnBooleanProperty(name = "fncache.metrics.enabled", matchIfMissing = true)
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        CacheStatsRecorder.Factory fncacheStats(ObjectProvider<MeterRegistry> registry) {
            return (namespace, backend) -> {
                MeterRegistry meters = registry.getIfAvailable();
                return meters == null ? CacheStatsRecorder.disabled()
                        : FunctionCacheMetrics.recorder(meters).create(namespace, backend);
            };
        }
    }

    /** The console on a port of its own, when {@code fncache.console.token} is set and fncache-runtime is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.fncache.runtime.ConsolePlugin")
    @ConditionalOnProperty(name = "fncache.console.token")
    static class ConsoleServer {
        @Bean(initMethod = "start", destroyMethod = "close")
        @ConditionalOnMissingBean
        FncacheConsole fncacheConsole(FncacheProperties properties, Environment environment,
                ObjectProvider<MeterRegistry> registry) {
            FncacheProperties.Console console = properties.getConsole();
            return new FncacheConsole(console.getToken(), namespace(properties, environment), url(properties),
                    console.getHost(), console.getPort(), registry.getIfAvailable(SimpleMeterRegistry::new));
        }
    }

    /** The {@code fncache} health indicator, when Spring Boot's health module is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @PropertySource("classpath:dev/fncache/spring/readiness.properties")
    static class HealthCheck {
        @Bean
        @ConditionalOnMissingBean(name = "fncacheHealthIndicator")
        FncacheHealthIndicator fncacheHealthIndicator(FunctionCache functionCache) {
            return new FncacheHealthIndicator(functionCache);
        }
    }
}
