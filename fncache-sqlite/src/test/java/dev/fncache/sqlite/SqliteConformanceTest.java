package dev.fncache.sqlite;

import dev.fncache.tck.CacheBackendFixture;
import dev.fncache.tck.ConformanceSuite;

/** The whole conformance suite against one SQLite file, with the default synchronous=FULL. */
class SqliteConformanceTest extends ConformanceSuite {
    private static final String URL = "sqlite:" + TestFiles.newDirectory("tck").resolve("tck.db");

    @Override
    protected CacheBackendFixture backend() {
        return new CacheBackendFixture() {
            @Override
            public String url() {
                return URL;
            }

            @Override
            public boolean obeysInjectedClock() {
                return true;
            }
        };
    }
}
