/**
 * Helpers for backend implementations, shared so each backend writes a rule once: the stored
 * form of counters ({@link dev.fncache.support.CounterValue}) and rate-limit logs
 * ({@link dev.fncache.support.SlidingWindowLog}), entry versions, how user text appears in
 * messages, and the JVM-wide registries of open resources and clocks. Not part of the API a
 * function uses, and not part of the SPI contract ({@code dev.fncache.spi}): a backend may use
 * them or not, and they may change between releases.
 */
package dev.fncache.support;
