package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheUnavailableException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** rediss:// speaks TLS to a server that accepts nothing else. */
@Tag("real-process")
class RedisTlsTest {

    @Test
    void redissUrlStoresAndReadsOverTls() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.startTls();
                FunctionCache cache = FunctionCaches.open("rediss://127.0.0.1:" + server.port() + "?verifyPeer=NONE", "fn")) {
            cache.set("k", "over tls", 60);
            assertThat(cache.get("k", String.class)).isEqualTo("over tls");
            assertThat(server.cli("get", "fncache:{fn}:v:k").strip()).isEqualTo("\"over tls\"");
        }
    }

    @Test
    void plainRedisUrlCannotTalkToATlsServer() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.startTls()) {
            assertThatThrownBy(() -> {
                try (FunctionCache cache = FunctionCaches.open("redis://127.0.0.1:" + server.port() + "?timeout=1s", "fn")) {
                    cache.get("k", String.class);
                }
            }).isInstanceOf(CacheUnavailableException.class).hasMessageContaining("use rediss:// if it speaks TLS");
        }
    }

    @Test
    void tlsUrlAgainstAPlainServerSaysTheServerDoesNotSpeakTls() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            assertThatThrownBy(() -> FunctionCaches.open("rediss://127.0.0.1:" + server.port() + "?timeout=1s", "fn"))
                    .isInstanceOf(CacheUnavailableException.class)
                    .hasMessageContaining("use redis:// for a plain server");
        }
    }

    @Test
    void certificateFromAnUnknownAuthorityIsRefusedWhenVerified() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.startTls()) {
            assertThatThrownBy(() -> FunctionCaches.open("rediss://127.0.0.1:" + server.port(), "fn"))
                    .isInstanceOf(CacheUnavailableException.class)
                    .hasMessageContaining("rediss://127.0.0.1:" + server.port())
                    .hasMessageContaining("certificate is not signed by an authority this JVM trusts");
        }
    }
}
