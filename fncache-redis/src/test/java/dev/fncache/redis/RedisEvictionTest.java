package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.KeyPage;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A server configured to evict (not the recipe's): a warning once, and keys() still right. */
@Tag("real-process")
class RedisEvictionTest {

    @Test
    void anEvictingPolicyIsWarnedAboutOnceAndKeysAgreesWithHasEvenWhenTheIndexIsGone() throws Exception {
        List<String> warnings = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(SharedRedisConnection.class.getName());
        logger.addHandler(capture);
        try (RedisServerProcess server = RedisServerProcess.start("--maxmemory", "3mb", "--maxmemory-policy", "allkeys-lru");
                FunctionCache cache = FunctionCaches.open(server.url(), "evicting");
                FunctionCache second = FunctionCaches.open(server.url(), "evicting-too")) {
            assertThat(second.keys()).as("a second namespace on the same connection").isEmpty();
            assertThat(warnings).as("one warning for the connection both namespaces share").singleElement().asString()
                    .contains("maxmemory-policy allkeys-lru").contains("keys() scans the namespace's keys instead");
            String value = "x".repeat(1_000);
            List<String> written = new ArrayList<>();
            for (int i = 0; i < 6_000; i++) {
                String key = String.format("session:%05d", i);
                cache.set(key, value, 600);
                written.add(key);
            }
            server.cli("del", "fncache:{evicting}:index");
            List<String> listed = cache.keys("session:*");
            int live = 0;
            for (String key : written) {
                boolean has = cache.has(key);
                live += has ? 1 : 0;
                assertThat(listed.contains(key)).as("keys() and has(%s)", key).isEqualTo(has);
            }
            assertThat(live).as("some sessions were evicted, some are live").isBetween(1, 5_999);
            List<String> paged = new ArrayList<>();
            String cursor = null;
            do {
                KeyPage page = cache.keys("session:*", 700, cursor);
                paged.addAll(page.keys());
                cursor = page.nextCursor();
            } while (cursor != null);
            assertThat(paged).as("pages without the index: the scanned keys, sorted, each once").isEqualTo(listed);
        } finally {
            logger.removeHandler(capture);
        }
    }
}
