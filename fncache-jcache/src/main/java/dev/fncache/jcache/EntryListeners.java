package dev.fncache.jcache;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import org.jspecify.annotations.Nullable;

/**
 * The listeners registered on one cache of this instance, and the events they get: synchronous
 * ones before the operation returns (their exception reaches the caller), asynchronous ones in
 * order on one thread. Events are those of this instance's operations.
 */
final class EntryListeners<K, V> implements Closeable {
    private record Registration<K, V>(CacheEntryListenerConfiguration<K, V> configuration,
            CacheEntryListener<? super K, ? super V> listener, @Nullable CacheEntryEventFilter<? super K, ? super V> filter) {
    }

    private final Cache<K, V> source;
    private final List<Registration<K, V>> registrations = new CopyOnWriteArrayList<>();
    private final ExecutorService asynchronous;

    EntryListeners(Cache<K, V> source, String cacheName) {
        this.source = source;
        this.asynchronous = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "fncache-jcache-events-" + cacheName);
            thread.setDaemon(true);
            return thread;
        });
    }

    void register(CacheEntryListenerConfiguration<K, V> configuration) {
        CacheEntryListener<? super K, ? super V> listener = configuration.getCacheEntryListenerFactory().create();
        CacheEntryEventFilter<? super K, ? super V> filter = configuration.getCacheEntryEventFilterFactory() == null
                ? null : configuration.getCacheEntryEventFilterFactory().create();
        registrations.add(new Registration<>(configuration, listener, filter));
    }

    void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
        for (Registration<K, V> registration : registrations) {
            if (registration.configuration().equals(configuration)) {
                registrations.remove(registration);
                closeQuietly(registration.listener());
                closeQuietly(registration.filter());
            }
        }
    }

    boolean isEmpty() {
        return registrations.isEmpty();
    }

    void created(K key, V value) {
        publish(EventType.CREATED, key, value, null);
    }

    void updated(K key, V value, V oldValue) {
        publish(EventType.UPDATED, key, value, oldValue);
    }

    void removed(K key, V oldValue) {
        publish(EventType.REMOVED, key, oldValue, oldValue);
    }

    void expired(K key, V oldValue) {
        publish(EventType.EXPIRED, key, oldValue, oldValue);
    }

    private void publish(EventType type, K key, @Nullable V value, @Nullable V oldValue) {
        for (Registration<K, V> registration : registrations) {
            if (!listensTo(registration.listener(), type)) {
                continue;
            }
            EntryEvent<K, V> event = new EntryEvent<>(source, type, key, value,
                    registration.configuration().isOldValueRequired() || type != EventType.UPDATED ? oldValue : null);
            if (registration.configuration().isSynchronous()) {
                deliver(registration, event);
            } else {
                asynchronous.execute(() -> {
                    try {
                        deliver(registration, event);
                    } catch (CacheEntryListenerException ignored) {
                        // an asynchronous listener's failure has no caller to reach
                    }
                });
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void deliver(Registration<K, V> registration, EntryEvent<K, V> event) {
        try {
            if (registration.filter() != null && !registration.filter().evaluate(event)) {
                return;
            }
            Iterable<javax.cache.event.CacheEntryEvent<? extends K, ? extends V>> events = List.of(event);
            CacheEntryListener<? super K, ? super V> listener = registration.listener();
            switch (event.getEventType()) {
                case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated(events);
                case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(events);
                case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved(events);
                case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired(events);
            }
        } catch (CacheEntryListenerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheEntryListenerException("a cache entry listener failed on a " + event.getEventType()
                    + " event: " + e, e);
        }
    }

    private static boolean listensTo(CacheEntryListener<?, ?> listener, EventType type) {
        return switch (type) {
            case CREATED -> listener instanceof CacheEntryCreatedListener;
            case UPDATED -> listener instanceof CacheEntryUpdatedListener;
            case REMOVED -> listener instanceof CacheEntryRemovedListener;
            case EXPIRED -> listener instanceof CacheEntryExpiredListener;
        };
    }

    /** Waits for the asynchronous events already published, then stops. */
    @Override
    public void close() {
        asynchronous.shutdown();
        try {
            asynchronous.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Registration<K, V> registration : registrations) {
            closeQuietly(registration.listener());
            closeQuietly(registration.filter());
        }
        registrations.clear();
    }

    static void closeQuietly(@Nullable Object resource) {
        if (resource instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException | RuntimeException ignored) {
                // closing a user's listener, loader or writer must not stop closing the cache
            }
        }
    }
}
