package dev.fncache.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fncache.FunctionCache;
import dev.fncache.TypeRef;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CONTRACT rules 1 (values are JSON), 4 (set replaces) and 13 (read-your-writes across instances). */
public abstract class BasicOperationsContract extends ContractSupport {

    record Call(String id, int durationSeconds) {
    }

    record Envelope(String kind, Object payload) {
    }

    record SessionWithExtra(String callerNumber, Instant startTime, String channel, int attempts) {
    }

    @Test
    void setThenGetReturnsAnEqualValue() {
        Session session = new Session("+46701234567", Instant.parse("2026-03-01T10:15:30.123Z"));
        cache.set("session:1", session);
        assertThat(cache.get("session:1", Session.class)).isEqualTo(session);
    }

    @Test
    void absentKeyReadsAsNull() {
        assertThat(cache.get("missing", String.class)).isNull();
        assertThat(cache.has("missing")).isFalse();
        assertThat(cache.ttl("missing")).isNull();
    }

    @Test
    void integerIsStoredAsABareJsonNumber() {
        cache.set("n", 1);
        JsonNode stored = cache.get("n", JsonNode.class);
        assertThat(stored.isIntegralNumber()).isTrue();
        assertThat(stored.toString()).isEqualTo("1");
        assertThat(cache.get("n", Integer.class)).isEqualTo(1);
        assertThat(cache.get("n", Long.class)).isEqualTo(1L);
    }

    @Test
    void recordIsStoredAsAPlainJsonObjectWithoutTypeInformation() {
        cache.set("s", new Session("+4670", Instant.parse("2026-03-01T10:15:30Z")));
        assertThat(cache.get("s", JsonNode.class).toString())
                .isEqualTo("{\"callerNumber\":\"+4670\",\"startTime\":\"2026-03-01T10:15:30Z\"}");
    }

    @Test
    void nestedObjectTypedAsObjectIsWrittenWithoutTypeIdAndReadBackAsAMap() {
        cache.set("e", new Envelope("call", new Call("c1", 42)));
        assertThat(cache.get("e", JsonNode.class).toString())
                .isEqualTo("{\"kind\":\"call\",\"payload\":{\"id\":\"c1\",\"durationSeconds\":42}}");
        assertThat(cache.get("e", Envelope.class).payload()).isEqualTo(Map.of("id", "c1", "durationSeconds", 42));
    }

    @Test
    void javaTimeValuesAreIso8601Strings() {
        cache.set("instant", Instant.parse("2026-03-01T10:15:30.5Z"));
        cache.set("date", LocalDate.of(2026, 3, 1));
        cache.set("duration", Duration.ofMinutes(5));
        assertThat(cache.get("instant", JsonNode.class).textValue()).isEqualTo("2026-03-01T10:15:30.500Z");
        assertThat(cache.get("date", JsonNode.class).textValue()).isEqualTo("2026-03-01");
        assertThat(cache.get("duration", JsonNode.class).textValue()).isEqualTo("PT5M");
        assertThat(cache.get("instant", Instant.class)).isEqualTo(Instant.parse("2026-03-01T10:15:30.5Z"));
        assertThat(cache.get("duration", Duration.class)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void stringsAndUnicodeRoundTrip() {
        cache.set("greeting", "héllo \"wörld\" \u2603 \uD83D\uDCDE\n");
        assertThat(cache.get("greeting", String.class)).isEqualTo("héllo \"wörld\" \u2603 \uD83D\uDCDE\n");
    }

    @Test
    void genericTypesAreReadWithTypeRef() {
        cache.set("calls", List.of(new Call("a", 1), new Call("b", 2)));
        List<Call> calls = cache.get("calls", new TypeRef<List<Call>>() {});
        assertThat(calls).containsExactly(new Call("a", 1), new Call("b", 2));
    }

    @Test
    void readingIgnoresUnknownProperties() {
        cache.set("s", new SessionWithExtra("+4670", Instant.parse("2026-03-01T10:15:30Z"), "voice", 3));
        assertThat(cache.get("s", Session.class))
                .isEqualTo(new Session("+4670", Instant.parse("2026-03-01T10:15:30Z")));
    }

    @Test
    void mutatingAnObjectAfterSetDoesNotChangeTheCachedValue() {
        List<String> numbers = new ArrayList<>(List.of("+4670"));
        cache.set("numbers", numbers);
        numbers.add("+4671");
        assertThat(cache.get("numbers", new TypeRef<List<String>>() {})).containsExactly("+4670");
    }

    @Test
    void mutatingAReadValueDoesNotChangeTheCachedValue() throws InterruptedException {
        cache.set("numbers", List.of("+4670"));
        for (int read = 0; read < 20; read++) { // long enough for a store that keeps copies to have one
            List<String> numbers = cache.get("numbers", new TypeRef<List<String>>() {});
            assertThat(numbers).as("read " + read).containsExactly("+4670");
            numbers.add("+4671");
            Thread.sleep(2);
        }
    }

    @Test
    void setReplacesValueAndTtl() {
        cache.set("k", "first", 100);
        cache.set("k", "second", 50);
        assertThat(cache.get("k", String.class)).isEqualTo("second");
        assertRemaining(cache, "k", Duration.ofSeconds(50));
    }

    @Test
    void setWithoutTtlUsesTheDefaultOfOneHour() {
        cache.set("k", "v");
        assertThat(FunctionCache.DEFAULT_TTL_SECONDS).isEqualTo(3600);
        assertRemaining(cache, "k", Duration.ofHours(1));
    }

    @Test
    void hasIsTrueForAPresentKey() {
        cache.set("k", false);
        assertThat(cache.has("k")).isTrue();
        assertThat(cache.get("k", Boolean.class)).isFalse();
    }

    @Test
    void deleteRemovesALiveKeyAndReportsIt() {
        cache.set("k", "v");
        assertThat(cache.delete("k")).isTrue();
        assertThat(cache.has("k")).isFalse();
        assertThat(cache.get("k", String.class)).isNull();
        assertThat(cache.delete("k")).isFalse();
    }

    @Test
    void deleteOfAnAbsentKeyIsFalse() {
        assertThat(cache.delete("never-set")).isFalse();
    }

    @Test
    void ttlReportsTheRemainingLifetime() {
        cache.set("k", "v", 90);
        assertRemaining(cache, "k", Duration.ofSeconds(90));
    }

    @Test
    void aWriteIsVisibleToAnotherInstanceAsSoonAsSetReturns() {
        FunctionCache other = open(namespace);
        cache.set("k", "from-first");
        assertThat(other.get("k", String.class)).isEqualTo("from-first");
        other.set("k", "from-second");
        assertThat(cache.get("k", String.class)).isEqualTo("from-second");
        other.delete("k");
        assertThat(cache.has("k")).isFalse();
        cache.increment("counter", 2, 60);
        assertThat(other.increment("counter", 3, 60)).isEqualTo(5);
        assertThat(cache.keys()).containsExactly("counter");
    }

    @Test
    void valueAtExactlyMaxValueBytesIsAccepted() {
        FunctionCache small = open(namespace, builder -> builder.maxValueBytes(12));
        small.set("k", "0123456789");
        assertThat(small.get("k", String.class)).isEqualTo("0123456789");
    }
}
