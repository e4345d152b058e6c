package dev.fncache.sqlite;

import dev.fncache.tck.AtomicOperationsContract;
import dev.fncache.tck.BasicOperationsContract;
import dev.fncache.tck.CacheBackendFixture;
import dev.fncache.tck.CloseContract;
import dev.fncache.tck.ConcurrencyContract;
import dev.fncache.tck.ExpiryContract;
import dev.fncache.tck.GetManyContract;
import dev.fncache.tck.GetOrSetContract;
import dev.fncache.tck.KeysContract;
import dev.fncache.tck.NamespaceContract;
import dev.fncache.tck.ValidationContract;
import org.junit.jupiter.api.Nested;

/** The whole conformance suite against one SQLite file, with synchronous=FULL. */
class SqliteConformanceTest {
    static final CacheBackendFixture SQLITE = new CacheBackendFixture() {
        private final String url = "sqlite:" + TestFiles.newDirectory("tck").resolve("tck.db");

        @Override
        public String url() {
            return url;
        }

        @Override
        public boolean obeysInjectedClock() {
            return true;
        }
    };

    @Nested
    class BasicOperations extends BasicOperationsContract {
        @Override
        protected CacheBackendFixture backend() {
            return SQLITE;
        }
    }

    @Nested
    class Expiry extends ExpiryContract {
        @Override
        protected CacheBackendFixture backend() {
            return SQLITE;
        }
    }

    @Nested
    class Keys extends KeysContract {
        @Override
        protected CacheBackendFixture backend() {
            return SQLITE;
        }
    }

    @Nested
    class GetMany extends GetManyContract {
        @Override
        protected CacheBackendFixture backend() {
            return SQLITE;
        }
    }

    @Nested
    class AtomicOperations extends AtomicOperationsContract {
        @Override
        protected CacheBackendFixture backend() {
            return SQLITE;
        }
    }

    @Nested
    class GetOrSet extends GetOrSetContract {
        @Override
        protected CacheBackendFixture backend() {
            return SQLITE;
        }
    }

    @Nested
    class Namespaces extends NamespaceContract {
        @Override
        protected CacheBackendFixture backend() {
            return SQLITE;
        }
    }

    @Nested
    class Validation extends ValidationContract {
        @Override
        protected CacheBackendFixture backend() {
            return SQLITE;
        }
    }

    @Nested
    class Concurrency extends ConcurrencyContract {
        @Override
        protected CacheBackendFixture backend() {
            return SQLITE;
        }
    }

    @Nested
    class Close extends CloseContract {
        @Override
        protected CacheBackendFixture backend() {
            return SQLITE;
        }
    }
}
