package dev.fncache.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fncache.CacheJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * How a Spring cache's key becomes an fncache key: {@code CACHE:JSON}, the key's JSON with every
 * non-ASCII character escaped and every object's fields in name order, so equal keys give equal text on
 * every instance and every key is a valid fncache key; one longer than fncache's 1,024 bytes is
 * {@code CACHE:#} and the SHA-256 of its JSON (JSON never begins with {@code #}).
 */
final class SpringCacheKeys {
    static final int MAX_KEY_BYTES = 1_024;
    private static final ObjectWriter JSON = CacheJson.writer()
            .with(JsonWriteFeature.ESCAPE_NON_ASCII);

    private SpringCacheKeys() {
    }

    /** The fncache key of {@code key} in the Spring cache {@code cacheName}. */
    static String of(String cacheName, Object key) {
        if (key == null) {
            throw new IllegalArgumentException("the key of cache '" + cacheName + "' must not be null");
        }
        if (key instanceof SimpleKey && !SimpleKey.EMPTY.equals(key)) {
            throw new IllegalArgumentException("cache '" + cacheName + "' cannot encode a SimpleKey of several "
                    + "parameters, whose parameters are private; with FncacheCacheResolver's key generator a "
                    + "method's parameters arrive as a list, or give @Cacheable a key expression");
        }
        String json;
        try {
            JsonNode tree = CacheJson.reader().readTree(JSON.writeValueAsString(SimpleKey.EMPTY.equals(key) ? List.of() : key));
            json = JSON.writeValueAsString(sorted(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the key of cache '" + cacheName + "' cannot be written as JSON: "
                    + key.getClass().getName() + " (" + e.getOriginalMessage() + ")", e);
        }
        String whole = cacheName + ":" + json;
        if (whole.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES) {
            return whole;
        }
        return cacheName + ":#" + sha256(json);
    }

    /** {@code node} with every object's fields in name order (a sorted map keeps its own order when written). */
    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            names.forEach(name -> sorted.set(name, sorted(node.get(name))));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode elements = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> elements.add(sorted(element)));
            return elements;
        }
        return node;
    }

    /** The fncache pattern of every key of {@code cacheName}. */
    static String everyKeyOf(String cacheName) {
        StringBuilder pattern = new StringBuilder(cacheName.length() + 2);
        for (char c : cacheName.toCharArray()) {
            if ("*?[]\\".indexOf(c) >= 0) {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        return pattern.append(":*").toString();
    }

    private static String sha256(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
