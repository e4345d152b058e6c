package dev.fncache.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which types JSON reads as values no caller can change: primitives and their boxes, strings,
 * {@code BigInteger}/{@code BigDecimal}, {@code UUID}, {@code java.time}'s value classes, enums,
 * and records whose every component is one of these (recursively). Collections, maps, arrays,
 * {@code Object}, JSON trees and every other class are not, since Jackson reads them as mutable
 * instances or cannot be known not to.
 */
public final class ImmutableTypes {
    private static final Set<Class<?>> VALUE_CLASSES = Set.of(String.class, Boolean.class, Character.class,
            Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class, BigInteger.class,
            BigDecimal.class, UUID.class, Instant.class, LocalDate.class, LocalDateTime.class, LocalTime.class,
            OffsetDateTime.class, OffsetTime.class, ZonedDateTime.class, Duration.class, Period.class, Year.class,
            YearMonth.class, MonthDay.class, ZoneOffset.class);
    private static final int MAX_KNOWN = 10_000;
    private static final ConcurrentHashMap<JavaType, Boolean> KNOWN = new ConcurrentHashMap<>();

    private ImmutableTypes() {
    }

    /** True when every value JSON reads as {@code type} is deeply immutable. */
    public static boolean deeplyImmutable(JavaType type) {
        Boolean known = KNOWN.get(type);
        if (known != null) {
            return known;
        }
        boolean immutable = deeplyImmutable(type, new HashSet<>());
        if (KNOWN.size() < MAX_KNOWN) {
            KNOWN.put(type, immutable);
        }
        return immutable;
    }

    private static boolean deeplyImmutable(JavaType type, Set<JavaType> visiting) {
        Class<?> raw = type.getRawClass();
        if (raw.isPrimitive() || VALUE_CLASSES.contains(raw) || raw.isEnum()) {
            return true;
        }
        if (!raw.isRecord()) {
            return false;
        }
        if (!visiting.add(type)) {
            return true; // a record reached again through itself: immutable if the rest of it is
        }
        TypeFactory types = TypeFactory.defaultInstance();
        for (RecordComponent component : raw.getRecordComponents()) {
            if (!deeplyImmutable(types.resolveMemberType(component.getGenericType(), type.getBindings()), visiting)) {
                return false;
            }
        }
        return true;
    }
}
