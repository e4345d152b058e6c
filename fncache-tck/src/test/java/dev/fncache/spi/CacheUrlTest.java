package dev.fncache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CacheUrlTest {

    @Test
    void splitsSchemeAndRest() {
        CacheUrl url = CacheUrl.parse("SQLite:./data/cache.db");
        assertThat(url.scheme()).isEqualTo("sqlite");
        assertThat(url.rest()).isEqualTo("./data/cache.db");
    }

    @Test
    void toStringHidesEveryFormOfPassword() {
        assertThat(CacheUrl.parse("redis://app:pa55@host:6379/0").toString()).isEqualTo("redis://app:***@host:6379/0");
        assertThat(CacheUrl.parse("redis://pa55@host:6379").toString()).isEqualTo("redis://:***@host:6379");
        assertThat(CacheUrl.parse("redis://:pa55@host").toString()).isEqualTo("redis://:***@host");
        assertThat(CacheUrl.parse("rediss://host:6380?password=pa55&timeout=2s").toString())
                .isEqualTo("rediss://host:6380?password=***&timeout=2s");
        assertThat(CacheUrl.parse("redis-cluster://u:p%40ss@h1:7000,h2:7001").toString())
                .isEqualTo("redis-cluster://u:***@h1:7000,h2:7001");
        assertThat(CacheUrl.parse("redis://app:pa55@host").rest()).contains("pa55");
    }

    @Test
    void rejectsAUrlWithoutAScheme() {
        assertThatThrownBy(() -> CacheUrl.parse("./data/cache.db")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CacheUrl.parse("1redis://host")).hasMessageContaining("must start with a scheme");
        assertThatThrownBy(() -> CacheUrl.parse(null)).hasMessageContaining("was null");
    }
}
