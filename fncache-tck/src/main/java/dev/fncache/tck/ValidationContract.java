package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheSerializationException;
import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT rules 2 (keys), 3 (values), 4 (TTL bounds) and 14 (errors): bad input gets a clear
 * message naming the argument, the rule and the value, and changes nothing.
 */
public abstract class ValidationContract extends ContractSupport {

    /** A bean Jackson cannot write: its only getter fails. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("not today");
        }
    }

    /** A node that can point back at itself. */
    public static final class Node {
        public List<Node> next = new ArrayList<>();
    }

    @Test
    void keysWithEverySpecialCharacterRoundTrip() {
        List<String> keys = List.of("a*b?c[d]e\\f:g", "ключ", "\uD83D\uDCDE call", "{tag}", "50%_", "'\"", " ", "\u00a0");
        for (String key : keys) {
            cache.set(key, key, 60);
        }
        for (String key : keys) {
            assertThat(cache.get(key, String.class)).as(key).isEqualTo(key);
        }
        assertThat(cache.keys()).hasSize(keys.size());
    }

    @Test
    void keyOf1024Utf8BytesIsAcceptedAnd1025Rejected() {
        String ascii1024 = "k".repeat(1024);
        String multiByte1024 = "\u00e9".repeat(512);
        String fourByte1024 = "\uD83D\uDCDE".repeat(256);
        for (String key : List.of(ascii1024, multiByte1024, fourByte1024)) {
            cache.set(key, 1, 60);
            assertThat(cache.has(key)).isTrue();
        }
        assertThatThrownBy(() -> cache.set("k".repeat(1025), 1, 60))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("key must be 1 to 1024 bytes of UTF-8, but was 1025 bytes: 'kkkk")
                .hasMessageContaining("...(1025 chars)");
        assertThatThrownBy(() -> cache.set("\u00e9".repeat(512) + "x", 1, 60))
                .hasMessageContaining("but was 1025 bytes");
    }

    @Test
    void nullAndEmptyKeysAreRejected() {
        assertThatThrownBy(() -> cache.set(null, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key must not be null");
        assertThatThrownBy(() -> cache.get("", String.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key must be 1 to 1024 bytes of UTF-8, but was empty");
    }

    @Test
    void controlCharactersInKeysAreRejectedNamingTheCharacter() {
        for (char control : new char[] {'\u0000', '\n', '\t', '\u001f', '\u007f', '\u0085', '\u009f'}) {
            String key = "call" + control + "id";
            assertThatThrownBy(() -> cache.set(key, 1, 60))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("key must not contain control characters, but has U+"
                            + String.format("%04X", (int) control) + " at index 4");
        }
        assertThat(cache.keys()).isEmpty();
    }

    @Test
    void unpairedSurrogatesInKeysAreRejected() {
        for (String key : List.of("a\uD83D", "\uDCDEa", "a\uDCDE\uD83Db")) {
            assertThatThrownBy(() -> cache.set(key, 1, 60))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unpaired surrogate");
        }
    }

    @Test
    void everyOperationValidatesItsKey() {
        List<Runnable> calls = List.of(
                () -> cache.get("", String.class),
                () -> cache.has(""),
                () -> cache.delete(""),
                () -> cache.extend("", 1),
                () -> cache.ttl(""),
                () -> cache.increment("", 1, 1),
                () -> cache.setIfAbsent("", 1, 1),
                () -> cache.getOrSet("", String.class, 1, () -> "x"),
                () -> cache.set("", 1, Duration.ofSeconds(1)));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("key must be 1 to 1024 bytes");
        }
    }

    @Test
    void nullValueIsRejectedPointingToDelete() {
        cache.set("k", "kept", 60);
        assertThatThrownBy(() -> cache.set("k", null, 60))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value for key 'k' must not be null; use delete(key) to remove a key");
        assertThatThrownBy(() -> cache.setIfAbsent("other", null, 60)).isInstanceOf(IllegalArgumentException.class);
        assertThat(cache.get("k", String.class)).isEqualTo("kept");
    }

    @Test
    void valueOverMaxValueBytesIsRejectedWithBothSizesAndNothingIsLost() {
        FunctionCache small = open(namespace, builder -> builder.maxValueBytes(16));
        small.set("k", "kept", 60);
        assertThatThrownBy(() -> small.set("k", "x".repeat(20), 60))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value for key 'k' must be at most 16 bytes of JSON (maxValueBytes), but was 22 bytes");
        assertThat(small.get("k", String.class)).isEqualTo("kept");
    }

    @Test
    void defaultMaxValueBytesIsOneMebibyte() {
        cache.set("k", "x".repeat((1 << 20) - 2), 60);
        assertThat(cache.get("k", String.class)).hasSize((1 << 20) - 2);
        assertThatThrownBy(() -> cache.set("k", "x".repeat((1 << 20) - 1), 60))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 1048576 bytes")
                .hasMessageContaining("1048577 bytes");
    }

    @Test
    void maxValueBytesOutsideItsRangeIsRejected() {
        assertThatThrownBy(() -> FunctionCaches.builder().maxValueBytes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxValueBytes must be between 1 and 536870912, but was 0");
    }

    @Test
    void nearCacheBoundsOutsideTheirRangesAreRejected() {
        assertThatThrownBy(() -> FunctionCaches.builder().nearCache(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nearCache maxEntries must be between 1 and 10000000, but was 0");
        assertThatThrownBy(() -> FunctionCaches.builder().nearCache(10_000_001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nearCache maxEntries must be between 1 and 10000000, but was 10000001");
        assertThatThrownBy(() -> FunctionCaches.builder().nearCache(100, 1023)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nearCache maxBytes must be between 1024 and 1099511627776, but was 1023");
        assertThatThrownBy(() -> FunctionCaches.builder().nearCache(100, (1L << 40) + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nearCache maxBytes must be between 1024 and 1099511627776, but was 1099511627777");
    }

    @Test
    void ttlOutsideOneSecondToTenYearsIsRejected() {
        for (long ttl : new long[] {0, -1, Long.MIN_VALUE, 315_360_001, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> cache.set("k", 1, ttl))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("ttlSeconds must be between 1 and 315360000 (10 years), but was " + ttl);
        }
        assertThat(cache.has("k")).isFalse();
    }

    @Test
    void durationTtlOutsideOneSecondToTenYearsIsRejected() {
        for (Duration ttl : List.of(Duration.ZERO, Duration.ofMillis(999), Duration.ofSeconds(-5),
                Duration.ofSeconds(315_360_000).plusMillis(1))) {
            assertThatThrownBy(() -> cache.set("k", 1, ttl))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("ttl must be between PT1S and PT87600H (10 years), but was " + ttl);
        }
        assertThatThrownBy(() -> cache.set("k", 1, (Duration) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ttl must not be null");
        assertThat(cache.has("k")).isFalse();
    }

    @Test
    void valueWithACycleIsASerializationErrorAndNothingIsStored() {
        Node node = new Node();
        node.next.add(node);
        cache.set("k", "kept", 60);
        assertThatThrownBy(() -> cache.set("k", node, 60))
                .isInstanceOf(CacheSerializationException.class)
                .hasMessageContaining("'k'")
                .hasMessageContaining(Node.class.getName())
                .hasMessageContaining("nesting depth");
        assertThat(cache.get("k", String.class)).isEqualTo("kept");
    }

    @Test
    void valueJacksonCannotWriteIsASerializationError() {
        assertThatThrownBy(() -> cache.set("k", new Unwritable(), 60))
                .isInstanceOf(CacheSerializationException.class)
                .hasMessageContaining(Unwritable.class.getName());
        assertThatThrownBy(() -> cache.set("k", new Object(), 60))
                .isInstanceOf(CacheSerializationException.class)
                .hasMessageContaining("java.lang.Object");
        assertThat(cache.has("k")).isFalse();
    }

    @Test
    void aNumberTooLongToReadBackIsRefusedAtSetAndOneThatFitsRoundTrips() {
        java.math.BigInteger fits = new java.math.BigInteger("9".repeat(1_000));
        cache.set("fits", fits, 60);
        assertThat(cache.get("fits", java.math.BigInteger.class)).isEqualTo(fits);
        cache.set("k", "kept", 60);
        assertThatThrownBy(() -> cache.set("k", new java.math.BigInteger("9".repeat(1_001)), 60))
                .isInstanceOf(CacheSerializationException.class)
                .hasMessageContaining("a number of 1001 characters is longer than the 1000 that can be read back");
        assertThatThrownBy(() -> cache.set("k", java.util.Map.of("amount", new java.math.BigDecimal("1." + "5".repeat(1_000))), 60))
                .isInstanceOf(CacheSerializationException.class);
        assertThat(cache.get("k", String.class)).isEqualTo("kept");
    }

    @Test
    void readingAStoredStringAsARecordFailsNamingKeyAndTypeAndKeepsTheValue() {
        cache.set("s", "not a session", 60);
        assertThatThrownBy(() -> cache.get("s", Session.class))
                .isInstanceOf(CacheSerializationException.class)
                .hasMessageStartingWith("cannot read the value of key 's' as " + Session.class.getName())
                .hasMessageContaining("\"not a session\"");
        assertThat(cache.get("s", String.class)).isEqualTo("not a session");
    }

    @Test
    void readingAnObjectAsANumberFails() {
        cache.set("s", new Session("+4670", Instant.EPOCH), 60);
        assertThatThrownBy(() -> cache.get("s", Integer.class)).isInstanceOf(CacheSerializationException.class);
        assertThatThrownBy(() -> cache.getOrSet("s", Integer.class, 60, () -> 1))
                .isInstanceOf(CacheSerializationException.class);
    }

    @Test
    void nullTypeIsRejected() {
        assertThatThrownBy(() -> cache.get("k", (Class<String>) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("type must not be null");
    }

    @Test
    void unknownUrlSchemeNamesTheSchemeAndTheChoices() {
        assertThatThrownBy(() -> FunctionCaches.open("memcached://localhost:11211", "fn"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'memcached'")
                .hasMessageContaining("is unknown")
                .hasMessageContaining("sqlite:PATH");
    }

    @Test
    void urlWithoutASchemeIsRejected() {
        assertThatThrownBy(() -> FunctionCaches.open("/var/cache.db", "fn"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with a scheme");
        assertThatThrownBy(() -> FunctionCaches.open(" ", "fn"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passwordsNeverAppearInMessages() {
        for (String url : List.of("memcached://user:s3cr3t-pw@host:1", "memcached://s3cr3t-pw@host:1",
                "memcached://host:1?password=s3cr3t-pw")) {
            assertThatThrownBy(() -> FunctionCaches.open(url, "fn"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("s3cr3t-pw")
                    .hasMessageContaining("***");
        }
    }

    @Test
    void toStringNamesUrlAndNamespace() {
        assertThat(cache.toString()).contains(namespace);
    }

    /** Regression: Redis ignored unknown options (redis://HOST:PORT?bogusOption=1 opened), while SQLite refused them. */
    @Test
    void aMisspelledUrlOptionIsRefusedNamingItAndOpensNothing() {
        String url = backend().url();
        String misspelled = url + (url.contains("?") ? "&" : "?") + "bogusOption=1";
        assertThatThrownBy(() -> FunctionCaches.open(misspelled, namespace))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bogusOption' is unknown");
    }
}
