package dev.fncache;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * Captures a generic type for reading values: {@code new TypeRef<List<Call>>() {}}.
 *
 * @param <T> the type to read
 */
public abstract class TypeRef<T> {
    private final Type type;

    /** The type of a class, as {@code get(key, Call.class)} reads: one shared instance per class. */
    private static final ClassValue<TypeRef<?>> OF_CLASS = new ClassValue<>() {
        @Override
        protected TypeRef<?> computeValue(Class<?> type) {
            return new TypeRef<>(type) { };
        }
    };

    private TypeRef(Type type) {
        this.type = type;
    }

    /**
     * The type of a class, for the {@code Class} forms of the cache's methods.
     *
     * @throws IllegalArgumentException when {@code type} is null
     */
    @SuppressWarnings("unchecked")
    public static <T> TypeRef<T> of(Class<T> type) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        return (TypeRef<T>) OF_CLASS.get(type);
    }

    /**
     * Any reflected type, such as a method's generic return type, for frameworks that learn the
     * type at run time (the Spring cache reads a value as its method's return type).
     *
     * @throws IllegalArgumentException when {@code type} is null
     */
    public static TypeRef<?> of(Type type) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        return type instanceof Class<?> raw ? OF_CLASS.get(raw) : new TypeRef<>(type) { };
    }

    protected TypeRef() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType)) {
            throw new IllegalStateException(
                    "TypeRef must be created with a type argument, e.g. new TypeRef<List<String>>() {}");
        }
        this.type = ((ParameterizedType) superclass).getActualTypeArguments()[0];
    }

    /** The captured type. */
    public final Type type() {
        return type;
    }

    @Override
    public String toString() {
        return "TypeRef<" + type.getTypeName() + ">";
    }
}
