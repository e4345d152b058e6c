package dev.fncache.memory;

import dev.fncache.tck.CacheBackendFixture;
import dev.fncache.tck.ConformanceSuite;

/** The whole conformance suite against {@code memory:}. */
class MemoryConformanceTest extends ConformanceSuite {

    @Override
    protected CacheBackendFixture backend() {
        return new CacheBackendFixture() {
            @Override
            public String url() {
                return "memory:tck";
            }

            @Override
            public boolean obeysInjectedClock() {
                return true;
            }
        };
    }
}
