package dev.fncache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CacheJsonTest {
    record Call(String id, Instant started) {
    }

    @Test
    void readerAndWriterFollowTheCachesJsonRules() throws Exception {
        Call call = new Call("CA1", Instant.parse("2026-03-01T10:15:30Z"));
        byte[] json = CacheJson.writer().writeValueAsBytes(call);
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"CA1\",\"started\":\"2026-03-01T10:15:30Z\"}");
        Call read = CacheJson.reader().forType(Call.class)
                .readValue("{\"id\":\"CA1\",\"started\":\"2026-03-01T10:15:30Z\",\"addedLater\":true}");
        assertThat(read).isEqualTo(call);
    }

    @Test
    void whatACallerDerivesFromTheWriterLeavesTheCachesJsonAsItWas() throws Exception {
        CacheJson.writer().withDefaultPrettyPrinter().writeValueAsString(new Call("CA1", Instant.EPOCH));
        try (FunctionCache cache = FunctionCaches.open("memory:cache-json-" + System.nanoTime(), "fn")) {
            cache.set("call", new Call("CA1", Instant.EPOCH), 60);
            assertThat(CacheJson.writer().writeValueAsString(cache.get("call", Call.class)))
                    .isEqualTo("{\"id\":\"CA1\",\"started\":\"1970-01-01T00:00:00Z\"}");
        }
    }
}
