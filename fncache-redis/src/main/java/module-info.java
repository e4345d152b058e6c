/**
 * fncache's Redis backend ({@code redis://}, {@code rediss://}, {@code redis-cluster://},
 * {@code redis-sentinel://}): found through the {@link dev.fncache.spi.CacheBackend} service;
 * nothing else is exported. Lettuce is an automatic module that declares no dependencies, so the
 * Netty modules it uses are required here, or a modular application would not resolve them.
 * Lettuce has no module descriptor, only a stable {@code Automatic-Module-Name}, hence the
 * suppressed warning.
 */
@SuppressWarnings("requires-automatic")
module dev.fncache.redis {
    requires dev.fncache.core;
    requires lettuce.core;
    requires com.github.benmanes.caffeine;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.handler;
    requires io.netty.codec;
    requires io.netty.resolver;
    requires io.netty.resolver.dns;
    requires org.slf4j;
    requires static org.jspecify;

    provides dev.fncache.spi.CacheBackend with dev.fncache.redis.RedisBackend;
}
