package dev.fncache.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.FunctionCache;
import java.time.Instant;
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

            @Override
            public boolean sharedByProcesses() {
                return false;
            }

            /** The hash map and the sorted key index hold the same keys. */
            @Override
            public void assertInvariants(FunctionCache cache, String namespace, Instant now) {
                MemoryNamespace entries = MemoryDatabases.existing("tck", namespace);
                if (entries != null) {
                    assertThat(entries.indexDisagreements()).as("keys in the map or the index but not both").isEmpty();
                }
            }
        };
    }
}
