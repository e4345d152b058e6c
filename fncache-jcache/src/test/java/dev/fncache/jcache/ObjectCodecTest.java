package dev.fncache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fncache.CacheSerializationException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectCodecTest {
    record Customer(String name, int visits) {
    }

    static final class Money implements Serializable {
        private static final long serialVersionUID = 1L;
        final BigDecimal amount;

        Money(BigDecimal amount) {
            this.amount = amount;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Money money && money.amount.equals(amount);
        }

        @Override
        public int hashCode() {
            return amount.hashCode();
        }
    }

    private final ObjectCodec codec = new ObjectCodec(getClass().getClassLoader(), ObjectCodec.DEFAULT_SERIAL_FILTER);

    @Test
    void plainTypesKeepTheirTypeAndReadableForm() {
        for (Object value : List.of("call-42", 42L, 42, (short) 4, (byte) 2, 1.5d, 2.5f, true, 'x',
                new java.math.BigInteger("123456789012345678901234567890"), new BigDecimal("1.50"))) {
            String encoded = codec.encode(value);
            assertThat(codec.decode(encoded, Object.class)).isEqualTo(value).hasSameClassAs(value);
        }
        assertThat(codec.encode("call-42")).isEqualTo("s:call-42");
        assertThat(codec.encode(42L)).isEqualTo("l:42");
    }

    @Test
    void aRecordIsJsonAndReadWhenTheCacheTypeTakesIt() {
        String encoded = codec.encode(new Customer("Ada", 3));
        assertThat(encoded).startsWith("o:" + Customer.class.getName() + ":{");
        assertThat(codec.decode(encoded, Customer.class)).isEqualTo(new Customer("Ada", 3));
    }

    @Test
    void aClassNamedByStoredDataIsRefusedUnlessTheTypeOrTheFilterAllowsIt() {
        String record = codec.encode(new Customer("Ada", 3));
        assertThatThrownBy(() -> codec.decode(record, Object.class)).isInstanceOf(CacheSerializationException.class)
                .hasMessageContaining(Customer.class.getName()).hasMessageContaining("fncache.jcache.serialFilter");
        String serialized = codec.encode(new Money(new BigDecimal("9.99")));
        assertThat(serialized).startsWith("j:");
        assertThatThrownBy(() -> codec.decode(serialized, Object.class)).isInstanceOf(CacheSerializationException.class)
                .hasMessageContaining("fncache.jcache.serialFilter");
        assertThat(codec.decode(serialized, Money.class)).isEqualTo(new Money(new BigDecimal("9.99")));

        ObjectCodec allowing = new ObjectCodec(getClass().getClassLoader(), "dev.fncache.jcache.*;java.base/*;!*");
        assertThat(allowing.decode(serialized, Object.class)).isEqualTo(new Money(new BigDecimal("9.99")));
        assertThat(allowing.decode(codec.encode(Instant.EPOCH), Object.class)).isEqualTo(Instant.EPOCH);
    }

    @Test
    void aLongOrControlCharacterKeyIsStoredUnderItsDigest() {
        assertThat(ObjectCodec.storeKey("s:short")).isEqualTo("s:short");
        String digest = ObjectCodec.storeKey("s:" + "k".repeat(2_000));
        assertThat(digest).startsWith("#").hasSize(44).isEqualTo(ObjectCodec.storeKey("s:" + "k".repeat(2_000)));
        assertThat(ObjectCodec.storeKey("s:line\nbreak")).startsWith("#");
    }
}
