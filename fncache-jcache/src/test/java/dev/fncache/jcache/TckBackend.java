package dev.fncache.jcache;

import dev.fncache.redis.RedisServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.opentest4j.TestAbortedException;

/**
 * Points the TCK run named by {@code fncache.jcache.tck.backend} at a fresh store before any
 * test asks for the default cache manager: {@code sqlite} a new file, {@code redis} a server
 * started on a free loopback port (stopped when the run ends). Without redis-server the Redis
 * run is skipped with a loud message, or fails where {@code FNCACHE_REQUIRE_REDIS=true} (CI).
 */
public final class TckBackend implements LauncherSessionListener {
    static final String BACKEND_PROPERTY = "fncache.jcache.tck.backend";
    private static volatile String skipped;
    private RedisServerProcess redis;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        String backend = System.getProperty(BACKEND_PROPERTY, "");
        if (backend.equals("sqlite")) {
            try {
                String file = Files.createTempDirectory("fncache-jcache-tck").resolve("tck.db").toString();
                System.setProperty(FncacheCachingProvider.URL_PROPERTY, "sqlite:" + file);
                System.out.println("fncache-jcache: the TCK runs on sqlite:" + file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (backend.equals("redis")) {
            try {
                redis = RedisServerProcess.start();
                System.setProperty(FncacheCachingProvider.URL_PROPERTY, redis.url());
                System.out.println("fncache-jcache: the TCK runs on " + redis.url());
            } catch (TestAbortedException e) {
                skipped = e.getMessage();
            }
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (redis != null) {
            redis.close();
        }
    }

    /** Leaves every test out of a run whose store could not be started, saying why. */
    public static final class SkipWithoutStore implements PostDiscoveryFilter {
        @Override
        public FilterResult apply(TestDescriptor descriptor) {
            return skipped == null ? FilterResult.included("the store is up") : FilterResult.excluded(skipped);
        }
    }
}
