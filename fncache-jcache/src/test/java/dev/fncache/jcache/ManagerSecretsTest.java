package dev.fncache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.redis.RedisServerProcess;
import java.lang.management.ManagementFactory;
import java.net.URI;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.management.ObjectName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A manager's URI may hold a Redis password: no message and no management bean name shows it. */
@Tag("real-process")
class ManagerSecretsTest {
    private static final String PASSWORD = "s3cret-jcache-pass";

    @Test
    void aPasswordInTheUriAppearsInNoMessageAndNoBeanName() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            redis.cli("ACL", "SETUSER", "fn-jcache", "on", ">" + PASSWORD, "~*", "&*", "+@all");
            URI uri = URI.create("redis://fn-jcache:" + PASSWORD + "@127.0.0.1:" + redis.port());
            CacheManager manager = new FncacheCachingProvider().getCacheManager(uri, getClass().getClassLoader());
            manager.createCache("secrets", new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                    .setManagementEnabled(true).setStatisticsEnabled(true)).put("k", "v");

            assertThatThrownBy(() -> manager.createCache("secrets", new MutableConfiguration<>()))
                    .isInstanceOf(CacheException.class).hasMessageContaining("fn-jcache")
                    .hasMessageNotContaining(PASSWORD);
            assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("javax.cache:*"), null))
                    .extracting(ObjectName::toString).anyMatch(name -> name.contains("Cache=secrets"))
                    .noneMatch(name -> name.contains(PASSWORD));
            manager.close();
            assertThatThrownBy(() -> manager.getCache("secrets")).isInstanceOf(IllegalStateException.class)
                    .hasMessageNotContaining(PASSWORD);
        }
    }
}
