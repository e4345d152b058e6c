package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.spi.CacheUrl;
import dev.fncache.spi.NearCacheBounds;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisLocationTest {

    private static RedisLocation parse(String url) {
        return RedisLocation.parse(CacheUrl.parse(url));
    }

    private static RedisCredentials credentials(RedisURI uri) {
        return uri.getCredentialsProvider().resolveCredentials().block();
    }

    @Test
    void standaloneUrlCarriesUserPasswordDatabaseAndTimeout() {
        RedisLocation location = parse("redis://app:pa55@cache.internal:6380/2?timeout=500ms");
        assertThat(location.cluster()).isFalse();
        assertThat(location.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(location.nodes().get(0).getHost()).isEqualTo("cache.internal");
        assertThat(location.nodes().get(0).getPort()).isEqualTo(6380);
        assertThat(location.nodes().get(0).getDatabase()).isEqualTo(2);
        assertThat(credentials(location.nodes().get(0)).getUsername()).isEqualTo("app");
        assertThat(location.toString()).isEqualTo("redis://app:***@cache.internal:6380/2?timeout=500ms");
    }

    @Test
    void tlsSchemeTurnsOnTls() {
        assertThat(parse("rediss://cache.internal:6380").nodes().get(0).isSsl()).isTrue();
        assertThat(parse("redis://cache.internal").nodes().get(0).isSsl()).isFalse();
        assertThat(parse("redis://cache.internal").timeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void clusterUrlListsEverySeedNode() {
        RedisLocation location = parse("redis-cluster://app:pa%40ss@10.0.0.1:7000,10.0.0.2:7001,[::1]:7002?timeout=3s");
        assertThat(location.cluster()).isTrue();
        assertThat(location.nodes()).extracting(uri -> uri.getHost() + ":" + uri.getPort())
                .containsExactly("10.0.0.1:7000", "10.0.0.2:7001", "::1:7002");
        assertThat(credentials(location.nodes().get(0)).getUsername()).isEqualTo("app");
        assertThat(new String(credentials(location.nodes().get(0)).getPassword())).isEqualTo("pa@ss");
        assertThat(location.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(location.toString()).doesNotContain("pa%40ss").contains("app:***@");
    }

    @Test
    void sentinelUrlListsEverySentinelAndTheMastersNameWithTheDataNodesCredentials() {
        RedisLocation location = parse("redis-sentinel://fn-a:pa55@10.0.0.1:26379,10.0.0.2:26380?master=cache&timeout=1s");
        assertThat(location.cluster()).isFalse();
        RedisURI uri = location.nodes().get(0);
        assertThat(uri.getSentinelMasterId()).isEqualTo("cache");
        assertThat(uri.getSentinels()).extracting(sentinel -> sentinel.getHost() + ":" + sentinel.getPort())
                .containsExactly("10.0.0.1:26379", "10.0.0.2:26380");
        assertThat(credentials(uri).getUsername()).isEqualTo("fn-a");
        assertThat(location.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(location.toString()).isEqualTo("redis-sentinel://fn-a:***@10.0.0.1:26379,10.0.0.2:26380?master=cache&timeout=1s");
    }

    @Test
    void aSentinelUrlWithoutAMasterNameOrWithAnotherOptionIsRefused() {
        assertThatThrownBy(() -> parse("redis-sentinel://u:secret@10.0.0.1:26379"))
                .hasMessageContaining("?master=NAME").hasMessageContaining("but master was missing")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> parse("redis-sentinel://10.0.0.1:26379?master=a b"))
                .hasMessageContaining("but master was 'a b'");
        assertThatThrownBy(() -> parse("redis-sentinel://10.0.0.1:26379?master=cache&db=2"))
                .hasMessageContaining("url option 'db' is unknown; the options of redis-sentinel:// are timeout, replicaAcks, "
                        + "replicaAckTimeout, nearCache, nearCacheBytes, master, sentinelUser, sentinelPassword");
        assertThatThrownBy(() -> parse("redis-sentinel://10.0.0.1?master=cache"))
                .hasMessageContaining("with a port on every node");
    }

    @Test
    void malformedUrlsNameTheRuleWithoutThePassword() {
        assertThatThrownBy(() -> parse("redis-cluster://u:secret@10.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("with a port on every node")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> parse("redis://host?timeout=soon"))
                .hasMessageContaining("timeout must be a whole number of ms or s");
        assertThatThrownBy(() -> parse("redis://host?timeout=0ms"))
                .hasMessageContaining("from 1 ms to 10 minutes");
        assertThatThrownBy(() -> parse("redis://host?timeout=99999999999999999999"))
                .as("a timeout too large for a long is the same rule, not a NumberFormatException")
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout must be a whole number of ms or s from 1 ms to 10 minutes");
    }

    /** Regression: the message read "url must be timeout must be ...". */
    @Test
    void anOptionErrorIsOneSentenceNamingTheOptionTheRuleAndTheValue() {
        assertThatThrownBy(() -> parse("redis://u:secret@host:6379?timeout=abc"))
                .hasMessage("url option timeout must be a whole number of ms or s from 1 ms to 10 minutes, such as "
                        + "timeout=2s or timeout=500ms, but was 'abc' (url was 'redis://u:***@host:6379?timeout=abc')");
    }

    /** Regression: redis://HOST:PORT?bogusOption=1 opened fine, so a misspelled option never took effect. */
    @Test
    void anUnknownOrMisspelledOptionIsRefusedListingTheValidOnes() {
        assertThatThrownBy(() -> parse("redis://u:secret@host:6379?bogusOption=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("url option 'bogusOption' is unknown; the options of redis:// are timeout, replicaAcks, "
                        + "replicaAckTimeout, nearCache, nearCacheBytes, database, db, clientName, verifyPeer (url was 'redis://u:***@host:6379?bogusOption=1')");
        assertThatThrownBy(() -> parse("rediss://host:6379?timout=5s")).hasMessageContaining("'timout' is unknown");
        assertThatThrownBy(() -> parse("redis-cluster://host:7000,host:7001?database=1"))
                .hasMessageContaining("the options of redis-cluster:// are timeout, replicaAcks, replicaAckTimeout, nearCache, nearCacheBytes (url");
        assertThatThrownBy(() -> parse("redis://host?timeout=1s&timeout=2s")).hasMessageContaining("given twice");
        assertThat(parse("redis://host:6379?timeout=1s&database=2&clientName=voice").nodes().get(0).getDatabase()).isEqualTo(2);
    }

    @Test
    void replicaAcksIsOffByDefaultAndWaitsHalfTheCommandTimeoutUnlessTold() {
        assertThat(parse("redis://host:6379").replicaAcks().enabled()).isFalse();
        assertThat(parse("redis://host:6379?replicaAcks=0").replicaAcks().enabled()).isFalse();
        RedisLocation location = parse("redis://host:6379/3?replicaAcks=1&timeout=1s");
        assertThat(location.replicaAcks()).isEqualTo(new RedisLocation.ReplicaAcks(1, Duration.ofMillis(500)));
        assertThat(location.nodes().get(0).getDatabase()).as("Lettuce's options still read").isEqualTo(3);
        assertThat(parse("redis-cluster://h:7000?replicaAcks=2&replicaAckTimeout=300ms").replicaAcks())
                .isEqualTo(new RedisLocation.ReplicaAcks(2, Duration.ofMillis(300)));
        assertThat(parse("redis-sentinel://h:26379?master=m&replicaAcks=1").replicaAcks().replicas()).isEqualTo(1);
    }

    @Test
    void aNearCacheIsOffByDefaultAndBoundedByEntriesAndBytes() {
        assertThat(parse("redis://host:6379").nearCache()).isNull();
        assertThat(parse("redis://host:6379/2?nearCache=5000").nearCache())
                .isEqualTo(new NearCacheBounds(5000, NearCacheBounds.DEFAULT_BYTES));
        assertThat(parse("redis-cluster://h:7000?nearCache=10&nearCacheBytes=4096").nearCache())
                .isEqualTo(new NearCacheBounds(10, 4096));
        assertThat(parse("redis://host:6379/2?nearCache=5000").nodes().get(0).getDatabase())
                .as("Lettuce does not see fncache's options").isEqualTo(2);
    }

    @Test
    void aNearCacheOutOfItsBoundsIsRefused() {
        assertThatThrownBy(() -> parse("redis://host?nearCache=0"))
                .hasMessageStartingWith("url option nearCache must be a whole number of entries from 1 to 10000000, but was '0'");
        assertThatThrownBy(() -> parse("redis://host?nearCache=many")).hasMessageContaining("but was 'many'");
        assertThatThrownBy(() -> parse("redis://host?nearCache=10&nearCacheBytes=100"))
                .hasMessageStartingWith("url option nearCacheBytes must be a whole number of bytes from 1024 to "
                        + "1099511627776, but was '100'");
        assertThatThrownBy(() -> parse("redis://host?nearCacheBytes=4096"))
                .hasMessageStartingWith("url option nearCacheBytes applies only with nearCache=MAX_ENTRIES");
    }

    @Test
    void replicaAcksOutOfRangeOrAnAckTimeoutNotUnderTheCommandTimeoutIsRefused() {
        assertThatThrownBy(() -> parse("redis://host?replicaAcks=17"))
                .hasMessageStartingWith("url option replicaAcks must be a whole number of replicas from 0 to 16, but was '17'");
        assertThatThrownBy(() -> parse("redis://host?replicaAcks=one")).hasMessageContaining("but was 'one'");
        assertThatThrownBy(() -> parse("redis://host?replicaAcks=1&timeout=1s&replicaAckTimeout=1s"))
                .hasMessageStartingWith("url option replicaAckTimeout must be a whole number of ms or s from 1 ms to "
                        + "999 ms (1000 ms is the command timeout, which it must stay under)");
        assertThatThrownBy(() -> parse("redis://host?replicaAckTimeout=100ms"))
                .hasMessageStartingWith("url option replicaAckTimeout applies only with replicaAcks=N");
    }

    @Test
    void sentinelCredentialsAreQueryOptionsDecodedAndNeverPrinted() {
        RedisLocation location = parse("redis-sentinel://fn-a:data@h1:26379,h2:26380?master=cache"
                + "&sentinelUser=watch&sentinelPassword=s%26cret");
        RedisURI uri = location.nodes().get(0);
        assertThat(uri.getSentinels()).hasSize(2).allSatisfy(sentinel -> {
            assertThat(credentials(sentinel).getUsername()).isEqualTo("watch");
            assertThat(new String(credentials(sentinel).getPassword())).isEqualTo("s&cret");
        });
        assertThat(credentials(uri).getUsername()).as("the data nodes' user").isEqualTo("fn-a");
        assertThat(location.toString()).isEqualTo("redis-sentinel://fn-a:***@h1:26379,h2:26380?master=cache"
                + "&sentinelUser=watch&sentinelPassword=***");
        assertThat(new String(credentials(parse("redis-sentinel://h1:26379?master=m&sentinelPassword=only")
                .nodes().get(0).getSentinels().get(0)).getPassword())).isEqualTo("only");
        assertThatThrownBy(() -> parse("redis-sentinel://h1:26379?master=m&sentinelUser=watch"))
                .hasMessageStartingWith("url option sentinelUser needs sentinelPassword too");
    }
}
