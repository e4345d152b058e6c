package dev.fncache.jcache;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fncache.CacheJson;
import dev.fncache.CacheSerializationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * How a JCache key or value of any type becomes text the cache stores, and back: a tag naming
 * the form, then the form. Strings, boxed primitives and big numbers are written plainly
 * ({@code s:hello}, {@code l:42}); records and classes that are not {@link Serializable} as JSON
 * with their class name; other {@code Serializable} classes by Java serialization. Reading a
 * class named in stored data is allowed only by {@code serialFilter} (an {@link ObjectInputFilter}
 * pattern) or when the cache's configured type takes it, so whoever can write the namespace
 * cannot make a reader build classes it did not ask for.
 */
final class ObjectCodec {
    static final String DEFAULT_SERIAL_FILTER = "java.base/*;!*";
    private static final int MAX_KEY_BYTES = 1_024;
    private static final Map<Character, Class<?>> PLAIN = Map.ofEntries(
            Map.entry('s', String.class), Map.entry('l', Long.class), Map.entry('i', Integer.class),
            Map.entry('h', Short.class), Map.entry('b', Byte.class), Map.entry('d', Double.class),
            Map.entry('f', Float.class), Map.entry('z', Boolean.class), Map.entry('c', Character.class),
            Map.entry('I', BigInteger.class), Map.entry('D', BigDecimal.class));

    private final ClassLoader classLoader;
    private final ObjectInputFilter filter;

    ObjectCodec(ClassLoader classLoader, String serialFilter) {
        this.classLoader = classLoader;
        this.filter = ObjectInputFilter.Config.createFilter(serialFilter);
    }

    String encode(Object object) {
        Class<?> type = object.getClass();
        for (Map.Entry<Character, Class<?>> plain : PLAIN.entrySet()) {
            if (plain.getValue() == type) {
                return plain.getKey() + ":" + object;
            }
        }
        if (type.isRecord() || !(object instanceof Serializable)) {
            try {
                return "o:" + type.getName() + ":" + CacheJson.writer().writeValueAsString(object);
            } catch (JsonProcessingException e) {
                throw new CacheSerializationException("a " + type.getName() + " cannot be written as JSON: "
                        + e.getOriginalMessage(), e);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw new CacheSerializationException("a " + type.getName() + " cannot be serialized: " + e, e);
        }
        return "j:" + Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** The object {@link #encode} wrote, which must be of {@code expected}. */
    Object decode(String text, Class<?> expected) {
        char tag = text.charAt(0);
        String body = text.substring(2);
        Class<?> plain = PLAIN.get(tag);
        if (plain != null) {
            return plainValue(plain, body);
        }
        if (tag == 'o') {
            int colon = body.indexOf(':');
            Class<?> type = allowedClass(body.substring(0, colon), expected);
            try {
                return CacheJson.reader().forType(type).readValue(body.substring(colon + 1));
            } catch (IOException e) {
                throw new CacheSerializationException("the stored JSON does not fit " + type.getName() + ": " + e, e);
            }
        }
        if (tag == 'j') {
            return deserialize(Base64.getDecoder().decode(body), expected);
        }
        throw new CacheSerializationException("the stored entry is not one fncache-jcache wrote (tag " + tag + ")");
    }

    /** The fncache key a JCache key is stored under: its form, or a digest of a longer one. */
    static String storeKey(String encodedKey) {
        boolean plainText = encodedKey.length() <= MAX_KEY_BYTES / 4
                && encodedKey.chars().noneMatch(Character::isISOControl);
        if (plainText) {
            return encodedKey;
        }
        return "#" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(encodedKey));
    }

    /** The SHA-256 of the text's UTF-8, which stands for a key or a name too long to store as it is. */
    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Object plainValue(Class<?> type, String body) {
        if (type == String.class) {
            return body;
        }
        if (type == Character.class) {
            return body.charAt(0);
        }
        if (type == Boolean.class) {
            return Boolean.valueOf(body);
        }
        if (type == Long.class) {
            return Long.valueOf(body);
        }
        if (type == Integer.class) {
            return Integer.valueOf(body);
        }
        if (type == Short.class) {
            return Short.valueOf(body);
        }
        if (type == Byte.class) {
            return Byte.valueOf(body);
        }
        if (type == Double.class) {
            return Double.valueOf(body);
        }
        if (type == Float.class) {
            return Float.valueOf(body);
        }
        return type == BigInteger.class ? new BigInteger(body) : new BigDecimal(body);
    }

    private Class<?> allowedClass(String name, Class<?> expected) {
        Class<?> type;
        try {
            type = Class.forName(name, false, classLoader);
        } catch (ClassNotFoundException e) {
            throw new CacheSerializationException("the stored entry names a class this cache cannot load: " + name, e);
        }
        if (!allowed(type, expected)) {
            throw refused(type);
        }
        return type;
    }

    private boolean allowed(Class<?> type, Class<?> expected) {
        if (expected != Object.class && expected.isAssignableFrom(type)) {
            return true;
        }
        return filter.checkInput(new ClassCheck(type)) == ObjectInputFilter.Status.ALLOWED;
    }

    private static CacheSerializationException refused(Class<?> type) {
        return new CacheSerializationException("the stored entry names " + type.getName()
                + ", which the cache's type does not take and fncache.jcache.serialFilter does not allow");
    }

    private Object deserialize(byte[] bytes, Class<?> expected) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass description) throws IOException, ClassNotFoundException {
                return Class.forName(description.getName(), false, classLoader);
            }
        }) {
            in.setObjectInputFilter(info -> {
                if (info.depth() > 64 || info.references() > 100_000) {
                    return ObjectInputFilter.Status.REJECTED;
                }
                Class<?> type = info.serialClass();
                if (type == null || type.isArray() && type.getComponentType().isPrimitive()) {
                    return ObjectInputFilter.Status.UNDECIDED;
                }
                Class<?> element = type;
                while (element.isArray()) {
                    element = element.getComponentType();
                }
                return allowed(element, expected) || element.isPrimitive() ? ObjectInputFilter.Status.ALLOWED
                        : ObjectInputFilter.Status.REJECTED;
            });
            return in.readObject();
        } catch (java.io.InvalidClassException e) {
            throw new CacheSerializationException("the stored entry holds a class that the cache's type does not take "
                    + "and fncache.jcache.serialFilter does not allow: " + e.getMessage(), e);
        } catch (IOException | ClassNotFoundException e) {
            throw new CacheSerializationException("the stored entry cannot be deserialized: " + e, e);
        }
    }

    /** Copies a value as storing and reading it would (store-by-value for what never reaches the store). */
    Object copy(Object object, Class<?> expected) {
        return decode(encode(object), expected);
    }

    private record ClassCheck(Class<?> serialClass) implements ObjectInputFilter.FilterInfo {
        @Override
        public long arrayLength() {
            return -1;
        }

        @Override
        public long depth() {
            return 1;
        }

        @Override
        public long references() {
            return 0;
        }

        @Override
        public long streamBytes() {
            return 0;
        }
    }
}
