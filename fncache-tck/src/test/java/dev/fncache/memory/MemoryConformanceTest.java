package dev.fncache.memory;

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

/** The whole conformance suite against {@code memory:}. */
class MemoryConformanceTest {
    static final CacheBackendFixture MEMORY = new CacheBackendFixture() {
        @Override
        public String url() {
            return "memory:tck";
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
            return MEMORY;
        }
    }

    @Nested
    class Expiry extends ExpiryContract {
        @Override
        protected CacheBackendFixture backend() {
            return MEMORY;
        }
    }

    @Nested
    class Keys extends KeysContract {
        @Override
        protected CacheBackendFixture backend() {
            return MEMORY;
        }
    }

    @Nested
    class GetMany extends GetManyContract {
        @Override
        protected CacheBackendFixture backend() {
            return MEMORY;
        }
    }

    @Nested
    class AtomicOperations extends AtomicOperationsContract {
        @Override
        protected CacheBackendFixture backend() {
            return MEMORY;
        }
    }

    @Nested
    class GetOrSet extends GetOrSetContract {
        @Override
        protected CacheBackendFixture backend() {
            return MEMORY;
        }
    }

    @Nested
    class Namespaces extends NamespaceContract {
        @Override
        protected CacheBackendFixture backend() {
            return MEMORY;
        }
    }

    @Nested
    class Validation extends ValidationContract {
        @Override
        protected CacheBackendFixture backend() {
            return MEMORY;
        }
    }

    @Nested
    class Concurrency extends ConcurrencyContract {
        @Override
        protected CacheBackendFixture backend() {
            return MEMORY;
        }
    }

    @Nested
    class Close extends CloseContract {
        @Override
        protected CacheBackendFixture backend() {
            return MEMORY;
        }
    }
}
