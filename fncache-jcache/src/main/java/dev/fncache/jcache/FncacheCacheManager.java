package dev.fncache.jcache;

import dev.fncache.FunctionCache;
import dev.fncache.FunctionCaches;
import dev.fncache.spi.CacheUrl;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.JMException;

/**
 * The caches of one fncache URL (the manager's URI): each JCache cache is the fncache namespace
 * of its name (a name that is not a namespace is stored under a digest of it), so every
 * instance that opens the same URL and cache name shares its entries.
 */
public final class FncacheCacheManager implements CacheManager {
    /** The property naming the ObjectInputFilter pattern of classes a stored entry may name. */
    public static final String SERIAL_FILTER_PROPERTY = "fncache.jcache.serialFilter";

    private final FncacheCachingProvider provider;
    private final URI uri;
    private final String shownUri;
    private final ClassLoader classLoader;
    private final Properties properties;
    private final ObjectCodec codec;
    private final Clock clock;
    private final Map<String, FncacheJCache<?, ?>> caches = new ConcurrentHashMap<>();
    private final Object creating = new Object();
    private volatile boolean closed;

    FncacheCacheManager(FncacheCachingProvider provider, URI uri, ClassLoader classLoader, Properties properties,
            Clock clock) {
        this.provider = provider;
        this.uri = uri;
        this.shownUri = withoutPassword(uri);
        this.classLoader = classLoader;
        this.properties = properties;
        this.clock = clock;
        this.codec = new ObjectCodec(classLoader, properties.getProperty(SERIAL_FILTER_PROPERTY,
                System.getProperty(SERIAL_FILTER_PROPERTY, ObjectCodec.DEFAULT_SERIAL_FILTER)));
    }

    @Override
    public CachingProvider getCachingProvider() {
        return provider;
    }

    @Override
    public URI getURI() {
        return uri;
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public Properties getProperties() {
        return properties;
    }

    @Override
    public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        Objects.requireNonNull(configuration, "configuration");
        MutableConfiguration<K, V> copy = configuration instanceof CompleteConfiguration<K, V> complete
                ? new MutableConfiguration<>(complete)
                : new MutableConfiguration<K, V>().setTypes(configuration.getKeyType(), configuration.getValueType())
                        .setStoreByValue(configuration.isStoreByValue());
        synchronized (creating) {
            if (caches.containsKey(cacheName)) {
                throw new CacheException("a cache named " + cacheName + " exists already in " + shownUri);
            }
            FunctionCache store = FunctionCaches.builder().url(uri.toString()).namespace(namespace(cacheName))
                    .clock(clock).build();
            FncacheJCache<K, V> cache = new FncacheJCache<>(cacheName, this, copy, store, codec, clock);
            caches.put(cacheName, cache);
            if (copy.isManagementEnabled()) {
                register(cache, "CacheConfiguration", new CacheConfigurationBean(copy));
            }
            if (copy.isStatisticsEnabled()) {
                register(cache, "CacheStatistics", cache.statistics());
            }
            return cache;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        FncacheJCache<?, ?> cache = caches.get(cacheName);
        if (cache == null) {
            return null;
        }
        Configuration<?, ?> configuration = cache.configuration();
        if (configuration.getKeyType() != keyType || configuration.getValueType() != valueType) {
            throw new ClassCastException("the cache " + cacheName + " holds " + configuration.getKeyType().getName()
                    + " keys and " + configuration.getValueType().getName() + " values, not "
                    + keyType.getName() + " and " + valueType.getName());
        }
        return (Cache<K, V>) cache;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> Cache<K, V> getCache(String cacheName) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        return (Cache<K, V>) caches.get(cacheName);
    }

    @Override
    public Iterable<String> getCacheNames() {
        checkOpen();
        return Set.copyOf(caches.keySet());
    }

    @Override
    public void destroyCache(String cacheName) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        FncacheJCache<?, ?> cache = caches.get(cacheName);
        if (cache != null) {
            cache.clear();
            cache.close();
        }
    }

    @Override
    public void enableManagement(String cacheName, boolean enabled) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        FncacheJCache<?, ?> cache = caches.get(cacheName);
        if (cache == null) {
            return;
        }
        cache.enableManagement(enabled);
        if (enabled) {
            register(cache, "CacheConfiguration", new CacheConfigurationBean(cache.configuration()));
        } else {
            unregister(cache, "CacheConfiguration");
        }
    }

    @Override
    public void enableStatistics(String cacheName, boolean enabled) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        FncacheJCache<?, ?> cache = caches.get(cacheName);
        if (cache == null) {
            return;
        }
        cache.enableStatistics(enabled);
        if (enabled) {
            register(cache, "CacheStatistics", cache.statistics());
        } else {
            unregister(cache, "CacheStatistics");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        provider.release(this);
        for (FncacheJCache<?, ?> cache : caches.values()) {
            cache.close();
        }
        caches.clear();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new IllegalArgumentException("a fncache CacheManager cannot be unwrapped to " + type.getName());
    }

    /** Forgets a cache that was closed, and its management beans. */
    void release(FncacheJCache<?, ?> cache) {
        caches.remove(cache.getName(), cache);
        unregister(cache, "CacheConfiguration");
        unregister(cache, "CacheStatistics");
    }

    /** The namespace a cache's entries live in: its name, or {@code jcache-} and a digest of it. */
    static String namespace(String cacheName) {
        if (cacheName.matches("[A-Za-z0-9._-]{1,64}")) {
            return cacheName;
        }
        return "jcache-" + HexFormat.of().formatHex(ObjectCodec.sha256(cacheName), 0, 16);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the cache manager of " + shownUri + " is closed");
        }
    }

    private void register(FncacheJCache<?, ?> cache, String type, Object bean) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = objectName(cache, type);
        try {
            if (!server.isRegistered(name)) {
                server.registerMBean(bean, name);
            }
        } catch (InstanceAlreadyExistsException ignored) {
            // registered meanwhile by another thread: one bean per name is what is wanted
        } catch (JMException e) {
            throw new CacheException("the " + type + " bean of " + cache.getName() + " cannot be registered: " + e, e);
        }
    }

    private void unregister(FncacheJCache<?, ?> cache, String type) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.unregisterMBean(objectName(cache, type));
        } catch (InstanceNotFoundException ignored) {
            // not registered: nothing to undo
        } catch (JMException e) {
            throw new CacheException("the " + type + " bean of " + cache.getName() + " cannot be unregistered: " + e, e);
        }
    }

    private ObjectName objectName(FncacheJCache<?, ?> cache, String type) {
        try {
            return new ObjectName("javax.cache:type=" + type + ",CacheManager=" + quotable(shownUri)
                    + ",Cache=" + quotable(cache.getName()));
        } catch (MalformedObjectNameException e) {
            throw new CacheException("the cache " + cache.getName() + " has no valid management name: " + e, e);
        }
    }

    /** The URI as messages and bean names show it: a password never appears. */
    private static String withoutPassword(URI uri) {
        try {
            return CacheUrl.parse(uri.toString()).toString();
        } catch (IllegalArgumentException e) {
            return uri.getScheme() + ":...";
        }
    }

    private static String quotable(String value) {
        return value.replaceAll("[,:=\\n\"*?]", ".");
    }
}
