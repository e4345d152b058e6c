package dev.fncache.tck;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;

/**
 * The whole contract for one backend: extend this class, return the backend's fixture from
 * {@link #backend()}, and JUnit runs every contract area below as a nested test class.
 */
public abstract class ConformanceSuite {

    /** The backend under test, shared by every nested area. */
    protected abstract CacheBackendFixture backend();

    @Nested
    public class BasicOperations extends BasicOperationsContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class Expiry extends ExpiryContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class Keys extends KeysContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class PagedKeys extends PagedKeysContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class BulkOperations extends BulkOperationsContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class GetMany extends GetManyContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class AtomicOperations extends AtomicOperationsContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class GetOrSet extends GetOrSetContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class RateLimitFamily extends RateLimitFamilyContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class GetOrSetMany extends GetOrSetManyContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class LoadPolicies extends LoadPolicyContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class Namespaces extends NamespaceContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class Validation extends ValidationContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class Concurrency extends ConcurrencyContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class VersionedEntries extends VersionedEntryContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class RateLimits extends RateLimitContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class CrossInstance extends CrossInstanceContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    /** Starts child JVMs: tagged so a fast inner loop can leave it out ({@code -DexcludedGroups=real-process}). */
    @Nested
    @Tag("real-process")
    public class MultiProcess extends MultiProcessContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }

    @Nested
    public class Close extends CloseContract {
        @Override
        protected CacheBackendFixture backend() {
            return ConformanceSuite.this.backend();
        }
    }
}
