/**
 * fncache's API ({@code dev.fncache}) and the SPI backends implement ({@code dev.fncache.spi}).
 * The engine ({@code dev.fncache.internal}) and the memory backend stay inside.
 */
module dev.fncache.core {
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires org.slf4j;
    requires static transitive org.jspecify;

    exports dev.fncache;
    exports dev.fncache.spi;
    exports dev.fncache.support;

    uses dev.fncache.spi.CacheBackend;

    provides dev.fncache.spi.CacheBackend with dev.fncache.memory.MemoryBackend;
}
