package dev.fncache.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.fncache.CacheSerializationException;
import dev.fncache.support.MessageText;
import dev.fncache.support.RateLimitStates;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON configuration of fncache: compact UTF-8, no type information and never default
 * typing, unknown properties ignored, {@code java.time} values as ISO-8601 strings.
 */
public final class JsonCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .addModule(new ReadableNumbers())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private JsonCodec() {
    }

    private static final ObjectReader READER = MAPPER.reader();
    private static final ObjectWriter WRITER = MAPPER.writer();

    /** An immutable reader with these rules (see {@link dev.fncache.CacheJson}). */
    public static ObjectReader reader() {
        return READER;
    }

    /** An immutable writer with these rules (see {@link dev.fncache.CacheJson}). */
    public static ObjectWriter writer() {
        return WRITER;
    }

    /** The JSON bytes of {@code value}, or a {@link CacheSerializationException} naming key and type. */
    public static byte[] encode(String key, Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new CacheSerializationException("cannot write the value for key " + MessageText.quoted(key) + " as JSON: "
                    + value.getClass().getName() + " is not serializable (" + reason(e) + ")", e);
        }
    }

    /** Jackson's type for a class or generic type. */
    public static JavaType type(Type type) {
        return MAPPER.getTypeFactory().constructType(type);
    }

    /** Reads stored JSON as {@code type}, or a {@link CacheSerializationException} naming key and type. */
    public static <T> T decode(String key, byte[] json, JavaType type) {
        json = RateLimitStates.asJson(json);
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException | IllegalArgumentException e) {
            throw unreadable(key, json, type, e);
        }
    }

    /**
     * A reader bound to {@code type}, for reading many values of it: it finds the type's
     * deserializer once, where {@link #decode(String, byte[], JavaType)} finds it for each value.
     */
    public static ObjectReader readerFor(JavaType type) {
        return MAPPER.readerFor(type);
    }

    /** {@link #decode(String, byte[], JavaType)} with a reader from {@link #readerFor(JavaType)} for {@code type}. */
    public static <T> T decode(String key, byte[] json, ObjectReader reader, JavaType type) {
        json = RateLimitStates.asJson(json);
        try {
            return reader.readValue(json);
        } catch (IOException | IllegalArgumentException e) {
            throw unreadable(key, json, type, e);
        }
    }

    private static CacheSerializationException unreadable(String key, byte[] json, JavaType type, Exception e) {
        return new CacheSerializationException("cannot read the value of key " + MessageText.quoted(key) + " as "
                + type.toCanonical() + ": stored JSON " + MessageText.truncated(new String(json, StandardCharsets.UTF_8))
                + " does not fit (" + reason(e) + ")", e);
    }

    /**
     * Refuses to write a number longer than Jackson reads back ({@link StreamReadConstraints}'s
     * number length), so a value that can be set can always be read.
     */
    private static final class ReadableNumbers extends SimpleModule {
        private static final long serialVersionUID = 1L;
        private static final int MAX_DIGITS = StreamReadConstraints.DEFAULT_MAX_NUM_LEN;

        ReadableNumbers() {
            addSerializer(BigInteger.class, new StdSerializer<>(BigInteger.class) {
                private static final long serialVersionUID = 1L;

                @Override
                public void serialize(BigInteger value, JsonGenerator json, SerializerProvider provider) throws IOException {
                    json.writeNumber(checked(json, value.toString()));
                }
            });
            addSerializer(BigDecimal.class, new StdSerializer<>(BigDecimal.class) {
                private static final long serialVersionUID = 1L;

                @Override
                public void serialize(BigDecimal value, JsonGenerator json, SerializerProvider provider) throws IOException {
                    checked(json, value.toString());
                    json.writeNumber(value);
                }
            });
        }

        private static String checked(JsonGenerator json, String number) throws JsonMappingException {
            if (number.length() > MAX_DIGITS) {
                throw JsonMappingException.from(json, "a number of " + number.length()
                        + " characters is longer than the " + MAX_DIGITS + " that can be read back");
            }
            return number;
        }
    }

    private static String reason(Throwable e) {
        if (e instanceof JsonProcessingException jackson) {
            String message = jackson.getOriginalMessage();
            return MessageText.truncated(message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(""));
        }
        return MessageText.truncated(String.valueOf(e.getMessage()));
    }
}
