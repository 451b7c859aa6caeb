package dev.stagecoach.notifier;

import dev.stagecoach.events.Notification;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The dedupe ids delivered lately, and those whose delivery began without an end on record, in
 * memory and bounded: the least recently seen id is forgotten first. On its own it forgets
 * everything at a restart; {@link KafkaDeliveredLedger} keeps both on a compacted topic and
 * fills one of these from it at start.
 */
public final class RecentlyDelivered implements DeliveredLedger {

    private final Map<String, Boolean> delivered;
    private final Map<String, Instant> begun;
    private final Clock clock;

    public RecentlyDelivered(int capacity) {
        this(capacity, Clock.systemUTC());
    }

    public RecentlyDelivered(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("dedupe capacity must be at least 1, was " + capacity);
        }
        this.delivered = bounded(capacity);
        this.begun = bounded(capacity);
        this.clock = clock;
    }

    private static <V> Map<String, V> bounded(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized boolean contains(String dedupeId) {
        return delivered.get(dedupeId) != null;
    }

    @Override
    public synchronized Optional<Instant> unfinishedSince(String dedupeId) {
        return Optional.ofNullable(begun.get(dedupeId));
    }

    public synchronized void add(String dedupeId) {
        delivered.put(dedupeId, Boolean.TRUE);
        begun.remove(dedupeId);
    }

    /** A delivery began at {@code at}; the earliest beginning is kept, and a delivered id is never unfinished. */
    public synchronized void begun(String dedupeId, Instant at) {
        if (!delivered.containsKey(dedupeId)) {
            begun.putIfAbsent(dedupeId, at);
        }
    }

    public synchronized void cleared(String dedupeId) {
        begun.remove(dedupeId);
    }

    @Override
    public CompletionStage<Void> ready() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> begin(Notification notification) {
        begun(notification.getDedupeId(), clock.instant());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> record(Notification delivered) {
        add(delivered.getDedupeId());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> forget(Notification givenUp) {
        cleared(givenUp.getDedupeId());
        return CompletableFuture.completedFuture(null);
    }

    public synchronized int size() {
        return delivered.size();
    }

    /** How many ids are begun and not settled. */
    public synchronized int unfinished() {
        return begun.size();
    }
}
