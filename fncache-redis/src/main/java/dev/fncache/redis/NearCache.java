package dev.fncache.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.fncache.CacheStatsRecorder;
import dev.fncache.spi.NearCacheBounds;
import dev.fncache.spi.ValueReader;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The local copies one Redis namespace's near cache serves, and the rules that keep them right.
 * <ul>
 *   <li>A copy expires locally no later than its key does in Redis: its lifetime runs from
 *       before the read was sent.</li>
 *   <li>Every write of the namespace announces the keys it changed on the namespace's channel
 *       while the namespace's flag key exists (see the function library); an announcement drops
 *       the copies, and a read in flight for such a key keeps nothing ({@link #startFill}).</li>
 *   <li>Each heartbeat keeps the flag and comes back carrying its id; an id other than the one
 *       the epoch began with means the flag was gone meanwhile (expired, evicted, deleted), and
 *       writes then went unannounced: a new epoch begins.</li>
 *   <li>Copies are served only while the channel is proven to deliver: this instance publishes
 *       a heartbeat of its own on the channel and serves for {@link #STALE_NANOS} after sending
 *       the last one it received back, since Redis delivers a channel's messages in the order it
 *       ran their commands, so every write finished before that heartbeat was sent was heard.</li>
 *   <li>Any disconnect or reconnect, or a heartbeat not heard back within half a second, begins a new
 *       epoch: every copy is dropped, and a copy is served only in the epoch it was read in, after
 *       a heartbeat of that epoch came back (so the subscription covered its read).</li>
 * </ul>
 * So a reader may return a value overwritten on another instance for at most {@link #STALE_NANOS}
 * after the write returned, even when it has not yet noticed that its connection is gone.
 */
final class NearCache {
    /** How long after a write returns another instance may still serve the value it replaced. */
    static final long STALE_MILLIS = 100;
    static final long STALE_NANOS = TimeUnit.MILLISECONDS.toNanos(STALE_MILLIS);
    /** A heartbeat is sent once the last proof is a quarter of the bound old. */
    private static final long HEARTBEAT_AFTER_NANOS = STALE_NANOS / 4;
    /** A heartbeat not heard back within this is lost: the subscription may have missed announcements. */
    private static final long HEARTBEAT_LOST_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long NOT_PROVEN = Long.MIN_VALUE;
    private static final byte KEYS = 'k';
    private static final byte HEARTBEAT = 'h';
    private static final int ENTRY_OVERHEAD_BYTES = 80;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The flag's id is this long; each heartbeat's message ends with it. */
    private static final int FLAG_ID_BYTES = 16;
    private static final int HEARTBEAT_BYTES = 1 + 16 + 16;
    /** How long the flag outlives the last heartbeat: a near cache idle longer begins its next read in a new epoch. */
    static final byte[] FLAG_PX = "60000".getBytes(StandardCharsets.US_ASCII);

    /**
     * A copy of a value, read in {@code epoch}, served until {@code expiresAtNanos}, with the one
     * instance last read from it for a shareable type (see {@link ValueReader#shareable()}).
     */
    static final class Copy {
        private final byte[] value;
        private final long expiresAtNanos;
        private final long epoch;
        private volatile @Nullable Decoded decoded;

        private Copy(byte[] value, long expiresAtNanos, long epoch) {
            this.value = value;
            this.expiresAtNanos = expiresAtNanos;
            this.epoch = epoch;
        }

        byte[] value() {
            return value;
        }

        long expiresAtNanos() {
            return expiresAtNanos;
        }

        long epoch() {
            return epoch;
        }

        /** The value as {@code reader} reads it: the kept instance when the reader is shareable and of its type. */
        <T> T read(ValueReader<T> reader) {
            if (!reader.shareable()) {
                return reader.read(value);
            }
            Decoded kept = decoded;
            if (kept != null && kept.type().equals(reader.type())) {
                @SuppressWarnings("unchecked")
                T same = (T) kept.value();
                return same;
            }
            T read = reader.read(value);
            decoded = new Decoded(reader.type(), read);
            return read;
        }
    }

    private record Decoded(Type type, Object value) {
    }

    /**
     * The epoch, the send time of the latest heartbeat of it heard back (NOT_PROVEN before one),
     * and the flag id its heartbeats carry (null before one).
     */
    private record Proof(long epoch, long provenAtNanos, byte @Nullable [] flag) {
    }

    /** A fresh id for the namespace's flag, which a heartbeat sets when there is none. */
    static byte[] freshFlagId() {
        byte[] id = new byte[FLAG_ID_BYTES];
        RANDOM.nextBytes(id);
        return id;
    }

    /** A read that may become a copy, unless an announcement for its key comes first. */
    static final class Fill {
        final long epoch;
        final long sentNanos;

        private Fill(long epoch, long sentNanos) {
            this.epoch = epoch;
            this.sentNanos = sentNanos;
        }
    }

    private final Cache<String, Copy> copies;
    private final ConcurrentHashMap<String, Fill> fills = new ConcurrentHashMap<>();
    private final byte[] instance = new byte[16];
    private final Consumer<byte[]> heartbeats;
    private final Runnable resubscribe;
    private volatile Proof proof = new Proof(0, NOT_PROVEN, null);
    /** When the heartbeat in flight was sent, or 0 when none is. */
    private final AtomicLong heartbeatInFlight = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final CacheStatsRecorder stats;

    /**
     * @param stats where hits, misses and evictions are counted too
     * @param heartbeats keeps the namespace's flag and publishes a heartbeat's bytes, then the flag's id, on the namespace's channel
     * @param resubscribe subscribes to the channel again (a new epoch's first step)
     */
    NearCache(NearCacheBounds size, CacheStatsRecorder stats, Consumer<byte[]> heartbeats, Runnable resubscribe) {
        RANDOM.nextBytes(instance);
        this.stats = stats;
        this.heartbeats = heartbeats;
        this.resubscribe = resubscribe;
        long leastWeight = Math.max(1, (size.maxBytes() + size.maxEntries() - 1) / size.maxEntries());
        this.copies = Caffeine.newBuilder()
                .maximumWeight(size.maxBytes())
                .weigher((String key, Copy copy) -> (int) Math.min(Integer.MAX_VALUE,
                        Math.max(leastWeight, copy.value().length + 2L * key.length() + ENTRY_OVERHEAD_BYTES)))
                .expireAfter(new Expiry<String, Copy>() {
                    @Override
                    public long expireAfterCreate(String key, Copy copy, long now) {
                        return Math.max(0, copy.expiresAtNanos() - System.nanoTime());
                    }

                    @Override
                    public long expireAfterUpdate(String key, Copy copy, long now, long current) {
                        return expireAfterCreate(key, copy, now);
                    }

                    @Override
                    public long expireAfterRead(String key, Copy copy, long now, long current) {
                        return current;
                    }
                })
                .evictionListener((String key, Copy copy, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        evictions.increment();
                        stats.recordNearCache(0, 0, 1);
                    }
                })
                .build();
    }

    /** The value of the copy of {@code key} to serve now, or null (see {@link #copy}). */
    byte @Nullable [] get(String key) {
        Copy copy = copy(key);
        return copy == null ? null : copy.value();
    }

    /** The copy of {@code key} to serve now, or null: none, expired, of an earlier epoch, or the channel unproven. */
    @Nullable Copy copy(String key) {
        Copy copy = copies.getIfPresent(key);
        long now = System.nanoTime();
        Proof current = proof;
        if (copy == null || copy.epoch() != current.epoch() || now - copy.expiresAtNanos() >= 0) {
            miss();
            return null;
        }
        heartbeatIfDue(now, current);
        if (current.provenAtNanos() == NOT_PROVEN || now - current.provenAtNanos() > STALE_NANOS) {
            miss();
            return null;
        }
        hits.increment();
        stats.recordNearCache(1, 0, 0);
        return copy;
    }

    private void miss() {
        misses.increment();
        stats.recordNearCache(0, 1, 0);
    }

    /**
     * Begins a read of {@code key} that may become a copy; null when none may (no heartbeat of
     * this epoch heard yet). Call before sending the read.
     */
    @Nullable Fill startFill(String key) {
        Proof current = proof;
        long now = System.nanoTime();
        heartbeatIfDue(now, current);
        if (current.provenAtNanos() == NOT_PROVEN) {
            return null;
        }
        Fill fill = new Fill(current.epoch(), now);
        fills.put(key, fill);
        return fill;
    }

    /** Keeps the value {@code fill} read, with {@code remainingMillis} to live, unless it was overtaken. */
    void completeFill(String key, Fill fill, byte @Nullable [] value, long remainingMillis) {
        fills.computeIfPresent(key, (unused, pending) -> {
            if (pending != fill) {
                return pending;
            }
            if (value != null && proof.epoch() == fill.epoch) {
                copies.put(key, new Copy(value, fill.sentNanos + TimeUnit.MILLISECONDS.toNanos(remainingMillis),
                        fill.epoch));
            }
            return null;
        });
    }

    /**
     * Forgets {@code key}: this instance changed it, or an announcement said another did. Under
     * the key's lock in {@code fills}, as {@link #completeFill} keeps a copy, so a copy read
     * before the change is never kept after the drop.
     */
    void drop(String key) {
        fills.compute(key, (unused, pending) -> {
            copies.invalidate(key);
            return null;
        });
    }

    /** A message of the namespace's channel: changed keys, a heartbeat, or (unreadable) a reason to drop everything. */
    void onMessage(byte[] message) {
        if (message.length > 0 && message[0] == KEYS && dropAnnounced(message)) {
            return;
        }
        if (message.length == HEARTBEAT_BYTES + FLAG_ID_BYTES && message[0] == HEARTBEAT) {
            onHeartbeat(message);
            return;
        }
        if (message.length == 0 || message[0] != HEARTBEAT) {
            dropAll();
        }
    }

    /** Drops each key a well-formed announcement names; false (dropping nothing) when it is not well formed. */
    private boolean dropAnnounced(byte[] message) {
        ByteBuffer frames = ByteBuffer.wrap(message, 1, message.length - 1);
        int start = frames.position();
        while (frames.remaining() >= 4) {
            int length = frames.getInt();
            if (length < 0 || length > frames.remaining()) {
                return false;
            }
            frames.position(frames.position() + length);
        }
        if (frames.hasRemaining()) {
            return false;
        }
        frames.position(start);
        while (frames.hasRemaining()) {
            int length = frames.getInt();
            drop(new String(message, frames.position(), length, StandardCharsets.UTF_8));
            frames.position(frames.position() + length);
        }
        return true;
    }

    private void onHeartbeat(byte[] message) {
        if (!Arrays.equals(message, 1, 1 + instance.length, instance, 0, instance.length)) {
            return;
        }
        ByteBuffer numbers = ByteBuffer.wrap(message, 1 + instance.length, 16);
        long epoch = numbers.getLong();
        long sentNanos = numbers.getLong();
        byte[] flag = Arrays.copyOfRange(message, HEARTBEAT_BYTES, message.length);
        heartbeatInFlight.compareAndSet(sentNanos, 0);
        boolean flagReplaced = false;
        synchronized (this) {
            Proof current = proof;
            if (current.epoch() == epoch) {
                if (current.flag() != null && !Arrays.equals(current.flag(), flag)) {
                    flagReplaced = true;
                } else if (current.provenAtNanos() == NOT_PROVEN || sentNanos - current.provenAtNanos() > 0) {
                    proof = new Proof(epoch, sentNanos, flag);
                }
            }
        }
        if (flagReplaced) {
            newEpoch();
        }
    }

    /** Sends a heartbeat when the proof is getting old and none is in flight; begins a new epoch when one was lost. */
    private void heartbeatIfDue(long now, Proof current) {
        if (current.provenAtNanos() != NOT_PROVEN && now - current.provenAtNanos() < HEARTBEAT_AFTER_NANOS) {
            return;
        }
        long inFlight = heartbeatInFlight.get();
        if (inFlight != 0 && now - inFlight < HEARTBEAT_LOST_NANOS) {
            return;
        }
        if (!heartbeatInFlight.compareAndSet(inFlight, now)) {
            return;
        }
        if (inFlight != 0) {
            newEpoch();
            current = proof;
        }
        ByteBuffer heartbeat = ByteBuffer.allocate(HEARTBEAT_BYTES);
        heartbeat.put(HEARTBEAT).put(instance).putLong(current.epoch()).putLong(now);
        try {
            heartbeats.accept(heartbeat.array());
        } catch (RuntimeException e) {
            heartbeatInFlight.compareAndSet(now, 0);
        }
    }

    /** A disconnect, a reconnect or a lost heartbeat: nothing read before may be served after. */
    void newEpoch() {
        synchronized (this) {
            proof = new Proof(proof.epoch() + 1, NOT_PROVEN, null);
        }
        heartbeatInFlight.set(0);
        dropAll();
        resubscribe.run();
    }

    private void dropAll() {
        fills.clear();
        copies.invalidateAll();
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    long evictions() {
        return evictions.sum();
    }

    /** Reads begun that have neither become copies nor been abandoned (for tests). */
    int pendingFills() {
        return fills.size();
    }

    long size() {
        copies.cleanUp();
        return copies.estimatedSize();
    }
}
