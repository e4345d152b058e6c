package dev.fncache.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.tck.CacheBackendFixture;
import dev.fncache.tck.ConformanceSuite;

/** The whole conformance suite against {@code memory:}. */
class MemoryConformanceTest extends ConformanceSuite {

    @Override
    protected CacheBackendFixture backend() {
        return CacheBackendFixture.builder(() -> "memory:tck")
                .inThisJvmOnly()
                .invariant((cache, namespace, now) -> {
                    MemoryNamespace entries = MemoryDatabases.existing("tck", namespace);
                    if (entries != null) {
                        assertThat(entries.indexDisagreements()).as("keys in the map or the index but not both").isEmpty();
                    }
                })
                .build();
    }
}
