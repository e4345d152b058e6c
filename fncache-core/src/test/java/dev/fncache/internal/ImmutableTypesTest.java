package dev.fncache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ImmutableTypesTest {
    enum State { RINGING, ANSWERED }

    record Session(String callId, int attempts, Instant started, State state, UUID trace, BigDecimal cost) {
    }

    record Nested(Session session, LocalDate day, long count) {
    }

    record Chain(String value, Chain next) {
    }

    record Box<T>(T content) {
    }

    record WithList(String name, List<String> tags) {
    }

    record WithArray(String name, byte[] data) {
    }

    record WithObject(Object anything) {
    }

    static final class Bean {
        public String name;
    }

    private static boolean immutable(Type type) {
        return ImmutableTypes.deeplyImmutable(JsonCodec.type(type));
    }

    @Test
    void valueClassesEnumsAndRecordsOfThemAreImmutable() {
        assertThat(immutable(String.class)).isTrue();
        assertThat(immutable(Long.class)).isTrue();
        assertThat(immutable(int.class)).isTrue();
        assertThat(immutable(Instant.class)).isTrue();
        assertThat(immutable(State.class)).isTrue();
        assertThat(immutable(Session.class)).isTrue();
        assertThat(immutable(Nested.class)).isTrue();
        assertThat(immutable(Chain.class)).as("a record reaching itself").isTrue();
        assertThat(immutable(new TypeReference<Box<Session>>() { }.getType())).isTrue();
    }

    @Test
    void collectionsArraysTreesObjectsBeansAndRecordsHoldingThemAreNot() {
        assertThat(immutable(new TypeReference<List<String>>() { }.getType())).isFalse();
        assertThat(immutable(new TypeReference<Map<String, Integer>>() { }.getType())).isFalse();
        assertThat(immutable(byte[].class)).isFalse();
        assertThat(immutable(JsonNode.class)).isFalse();
        assertThat(immutable(Object.class)).isFalse();
        assertThat(immutable(Bean.class)).isFalse();
        assertThat(immutable(WithList.class)).isFalse();
        assertThat(immutable(WithArray.class)).isFalse();
        assertThat(immutable(WithObject.class)).isFalse();
        assertThat(immutable(new TypeReference<Box<List<String>>>() { }.getType())).isFalse();
        assertThat(immutable(Box.class)).as("a type variable left open is Object").isFalse();
    }
}
