package dev.fncache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.cache.interceptor.SimpleKey;

class SpringCacheKeysTest {

    @Test
    void aKeyIsTheCachesNameAndTheKeysJson() {
        assertThat(SpringCacheKeys.of("customers", "42")).isEqualTo("customers:\"42\"");
        assertThat(SpringCacheKeys.of("customers", 42)).isEqualTo("customers:42");
        assertThat(SpringCacheKeys.of("tags", List.of("a", 2))).isEqualTo("tags:[\"a\",2]");
        assertThat(SpringCacheKeys.of("all", SimpleKey.EMPTY)).isEqualTo("all:[]");
    }

    @Test
    void equalKeysGiveEqualTextWhateverTheMapsOrderAndNonAsciiIsEscaped() {
        Map<String, Integer> one = new HashMap<>();
        one.put("zeta", 1);
        one.put("alpha", 2);
        Map<String, Integer> other = new TreeMap<>(java.util.Comparator.reverseOrder());
        other.putAll(one);
        assertThat(SpringCacheKeys.of("c", one)).isEqualTo(SpringCacheKeys.of("c", other))
                .isEqualTo("c:{\"alpha\":2,\"zeta\":1}");
        assertThat(SpringCacheKeys.of("c", "Åsa\u0085")).isEqualTo("c:\"\\u00C5sa\\u0085\"");
    }

    @Test
    void aKeyLongerThanFncacheTakesIsItsDigest() {
        String longKey = "x".repeat(2_000);
        String stored = SpringCacheKeys.of("c", longKey);
        assertThat(stored).startsWith("c:#").hasSize("c:#".length() + 43);
        assertThat(SpringCacheKeys.of("c", longKey)).isEqualTo(stored);
        assertThat(SpringCacheKeys.of("c", longKey + "y")).isNotEqualTo(stored);
        String justFits = "y".repeat(SpringCacheKeys.MAX_KEY_BYTES - "c:\"\"".length());
        assertThat(SpringCacheKeys.of("c", justFits).getBytes(StandardCharsets.UTF_8)).hasSize(SpringCacheKeys.MAX_KEY_BYTES);
    }

    @Test
    void keysJsonCannotHoldAreRefusedNamingTheCache() {
        assertThatThrownBy(() -> SpringCacheKeys.of("c", null)).hasMessage("the key of cache 'c' must not be null");
        assertThatThrownBy(() -> SpringCacheKeys.of("c", new SimpleKey("a", "b")))
                .hasMessageStartingWith("cache 'c' cannot encode a SimpleKey of several parameters");
        assertThatThrownBy(() -> SpringCacheKeys.of("c", new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the key of cache 'c' cannot be written as JSON: java.lang.Object");
    }

    @Test
    void clearingACacheMatchesItsKeysOnlyWhateverItsName() {
        assertThat(SpringCacheKeys.everyKeyOf("customers")).isEqualTo("customers:*");
        assertThat(SpringCacheKeys.everyKeyOf("a*b?[c]\\")).isEqualTo("a\\*b\\?\\[c\\]\\\\:*");
    }

    @Test
    void aMethodsValueTypeIsWhatSpringStores() throws NoSuchMethodException {
        assertThat(FncacheCacheResolver.valueType(Samples.class.getMethod("number").getGenericReturnType()))
                .isEqualTo(Integer.class);
        assertThat(FncacheCacheResolver.valueType(Samples.class.getMethod("nothing").getGenericReturnType()))
                .isEqualTo(Object.class);
        assertThat(FncacheCacheResolver.valueType(Samples.class.getMethod("maybe").getGenericReturnType()))
                .isEqualTo(String.class);
        assertThat(FncacheCacheResolver.valueType(Samples.class.getMethod("later").getGenericReturnType()).getTypeName())
                .isEqualTo("java.util.List<java.lang.String>");
    }

    interface Samples {
        int number();

        void nothing();

        Optional<String> maybe();

        CompletableFuture<List<String>> later();
    }
}
