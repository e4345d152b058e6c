package dev.fncache.jcache;

import dev.fncache.FunctionCaches;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The JCache provider of fncache: a {@link CacheManager}'s URI is an fncache URL
 * ({@code memory:NAME}, {@code sqlite:PATH}, {@code redis://...}). The default URI is the
 * {@code fncache.jcache.url} system property, else the {@code FNCACHE_URL} variable, else
 * {@code memory:jcache}. Store-by-reference is not supported: values are always copied through
 * the store.
 */
public final class FncacheCachingProvider implements CachingProvider {
    /** The system property naming the default URI. */
    public static final String URL_PROPERTY = "fncache.jcache.url";

    private final Map<ClassLoader, Map<URI, FncacheCacheManager>> managers = new WeakHashMap<>();

    @Override
    public synchronized CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
        URI managerUri = uri == null ? getDefaultURI() : uri;
        ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
        Properties managerProperties = properties == null ? new Properties() : properties;
        Map<URI, FncacheCacheManager> byUri = managers.computeIfAbsent(loader, ignored -> new HashMap<>());
        FncacheCacheManager manager = byUri.get(managerUri);
        if (manager == null || manager.isClosed()) {
            manager = new FncacheCacheManager(this, managerUri, loader, managerProperties, Clock.systemUTC());
            byUri.put(managerUri, manager);
        }
        return manager;
    }

    @Override
    public ClassLoader getDefaultClassLoader() {
        return getClass().getClassLoader();
    }

    @Override
    public URI getDefaultURI() {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null) {
            url = System.getenv(FunctionCaches.URL_VARIABLE);
        }
        return URI.create(url == null ? "memory:jcache" : url);
    }

    @Override
    public Properties getDefaultProperties() {
        return new Properties();
    }

    @Override
    public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
        return getCacheManager(uri, classLoader, getDefaultProperties());
    }

    @Override
    public CacheManager getCacheManager() {
        return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
    }

    @Override
    public void close() {
        Map<ClassLoader, Map<URI, FncacheCacheManager>> all;
        synchronized (this) {
            all = new HashMap<>(managers);
            managers.clear();
        }
        all.values().forEach(byUri -> Map.copyOf(byUri).values().forEach(FncacheCacheManager::close));
    }

    @Override
    public void close(ClassLoader classLoader) {
        Map<URI, FncacheCacheManager> byUri;
        synchronized (this) {
            byUri = managers.remove(classLoader == null ? getDefaultClassLoader() : classLoader);
        }
        if (byUri != null) {
            Map.copyOf(byUri).values().forEach(FncacheCacheManager::close);
        }
    }

    @Override
    public void close(URI uri, ClassLoader classLoader) {
        FncacheCacheManager manager;
        synchronized (this) {
            Map<URI, FncacheCacheManager> byUri = managers.get(classLoader == null ? getDefaultClassLoader() : classLoader);
            manager = byUri == null ? null : byUri.remove(uri == null ? getDefaultURI() : uri);
        }
        if (manager != null) {
            manager.close();
        }
    }

    @Override
    public boolean isSupported(OptionalFeature optionalFeature) {
        Objects.requireNonNull(optionalFeature, "optionalFeature");
        return false;
    }

    /** Forgets a manager that was closed, so the next request for its URI opens a new one. */
    synchronized void release(FncacheCacheManager manager) {
        Map<URI, FncacheCacheManager> byUri = managers.get(manager.getClassLoader());
        if (byUri != null) {
            byUri.remove(manager.getURI(), manager);
        }
    }
}
