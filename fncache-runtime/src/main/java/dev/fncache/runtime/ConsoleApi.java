package dev.fncache.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fncache.CacheEntry;
import dev.fncache.FunctionCache;
import dev.fncache.KeyPage;
import dev.fncache.spi.CacheUrl;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The console's JSON endpoints under {@code /_console/api/}: what the cache holds and the
 * changes an operator may make. {@link ConsolePlugin} checks the session and CSRF token before
 * any of these runs; a refused argument throws {@link IllegalArgumentException}.
 */
final class ConsoleApi {
    private static final int PREVIEW_CHARS = 80;
    private static final int COUNT_CAP = 100_000;

    private final String name;
    private final FunctionCache cache;
    private final String redactedUrl;
    private final MeterRegistry registry;

    ConsoleApi(String name, FunctionCache cache, String cacheUrl, MeterRegistry registry) {
        this.name = name;
        this.cache = cache;
        this.redactedUrl = CacheUrl.parse(cacheUrl).toString();
        this.registry = registry;
    }

    void info(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("namespace", name);
        body.put("backend", redactedUrl);
        long[] counted = countMatching(cache, "*");
        body.put("entries", counted[0]);
        body.put("entriesCapped", counted[1] == 1);
        double hits = Search.in(registry).name("cache.gets").tag("result", "hit").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        double misses = Search.in(registry).name("cache.gets").tag("result", "miss").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        body.put("hits", (long) hits);
        body.put("misses", (long) misses);
        body.put("hitRate", hits + misses == 0 ? null : hits / (hits + misses));
        if (Search.in(registry).name("fncache.nearcache.gets").counter() != null) {
            Map<String, Long> near = new LinkedHashMap<>();
            near.put("hits", counted("fncache.nearcache.gets", "hit"));
            near.put("misses", counted("fncache.nearcache.gets", "miss"));
            near.put("evictions", (long) Search.in(registry).name("fncache.nearcache.evictions").counters().stream()
                    .mapToDouble(c -> c.count()).sum());
            body.put("nearCache", near);
        }
        Map<String, Long> operations = new TreeMap<>();
        Search.in(registry).name("fncache.operation").functionTimers().forEach(timer ->
                operations.merge(timer.getId().getTag("operation"), (long) timer.count(), Long::sum));
        body.put("operations", operations);
        Responses.json(ctx, 200, body);
    }

    private long counted(String name, String result) {
        return (long) Search.in(registry).name(name).tag("result", result).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    void keys(Context ctx) {
        String pattern = orDefault(ctx.queryParam("pattern"), "*");
        int limit = Integer.parseInt(orDefault(ctx.queryParam("limit"), "50"));
        String cursor = ctx.queryParam("cursor");
        KeyPage page = cache.keys(pattern, limit, cursor == null || cursor.isEmpty() ? null : cursor);
        Map<String, JsonNode> values = cache.getMany(page.keys(), JsonNode.class);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String key : page.keys()) {
            Duration left = cache.ttl(key);
            JsonNode value = values.get(key);
            if (left == null || value == null) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", key);
            row.put("ttlMillis", left.toMillis());
            String text = value.toString();
            row.put("preview", text.length() > PREVIEW_CHARS ? text.substring(0, PREVIEW_CHARS) + "…" : text);
            rows.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("keys", rows);
        body.put("nextCursor", page.nextCursor());
        Responses.json(ctx, 200, body);
    }

    void entry(Context ctx) {
        String key = required(ctx, "key");
        CacheEntry<JsonNode> entry = cache.getEntry(key, JsonNode.class);
        if (entry == null) {
            Responses.error(ctx, 404, "no key " + key);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("value", entry.value());
        body.put("ttlMillis", entry.ttl().toMillis());
        body.put("version", entry.version());
        Responses.json(ctx, 200, body);
    }

    void count(Context ctx) {
        long[] counted = countMatching(cache, required(ctx, "pattern"));
        Responses.json(ctx, 200, Map.of("count", counted[0], "capped", counted[1] == 1));
    }

    void store(Context ctx) {
        String key = required(ctx, "key");
        JsonNode body = bodyJson(ctx);
        JsonNode value = body.get("value");
        if (value == null) {
            throw new IllegalArgumentException("the body must be {\"value\": JSON, \"ttlSeconds\": N}, but had no value");
        }
        long ttlSeconds = body.path("ttlSeconds").asLong(3600);
        cache.set(key, value, ttlSeconds);
        Responses.json(ctx, 200, Map.of("stored", key));
    }

    void delete(Context ctx) {
        boolean deleted = cache.delete(required(ctx, "key"));
        Responses.json(ctx, 200, Map.of("deleted", deleted));
    }

    void extend(Context ctx) {
        String key = required(ctx, "key");
        long seconds = bodyJson(ctx).path("seconds").asLong(0);
        boolean extended = cache.extend(key, seconds);
        if (!extended) {
            Responses.error(ctx, 404, "no key " + key);
            return;
        }
        Duration left = cache.ttl(key);
        Responses.json(ctx, 200, Map.of("ttlMillis", left == null ? 0 : left.toMillis()));
    }

    void purge(Context ctx) {
        String pattern = bodyJson(ctx).path("pattern").asText(null);
        if (pattern == null) {
            throw new IllegalArgumentException("the body must be {\"pattern\": GLOB}");
        }
        Responses.json(ctx, 200, Map.of("deleted", cache.deleteAll(pattern)));
    }

    /** The count of live keys matching, up to a cap: {count, 1 when capped}. */
    private static long[] countMatching(FunctionCache cache, String pattern) {
        long count = 0;
        String cursor = null;
        do {
            KeyPage page = cache.keys(pattern, 10_000, cursor);
            count += page.keys().size();
            cursor = page.nextCursor();
        } while (cursor != null && count < COUNT_CAP);
        return new long[] {count, cursor != null ? 1 : 0};
    }

    private static JsonNode bodyJson(Context ctx) {
        try {
            JsonNode body = dev.fncache.CacheJson.reader().readTree(ctx.bodyAsBytes());
            if (body == null || !body.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new IllegalArgumentException("the body must be a JSON object, but was not valid JSON");
        }
    }

    private static String required(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the query parameter " + name + " is required");
        }
        return value;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
