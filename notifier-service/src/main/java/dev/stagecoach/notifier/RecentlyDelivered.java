package dev.stagecoach.notifier;

import dev.stagecoach.events.Notification;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The dedupe ids delivered lately, in memory and bounded: the least recently seen id is
 * forgotten first. On its own it forgets everything at a restart; {@link KafkaDeliveredLedger}
 * keeps its ids on a compacted topic and fills one of these from it at start.
 */
public final class RecentlyDelivered implements DeliveredLedger {

    private final Map<String, Boolean> ids;

    public RecentlyDelivered(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("dedupe capacity must be at least 1, was " + capacity);
        }
        this.ids = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized boolean contains(String dedupeId) {
        return ids.get(dedupeId) != null;
    }

    public synchronized void add(String dedupeId) {
        ids.put(dedupeId, Boolean.TRUE);
    }

    @Override
    public CompletionStage<Void> ready() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> record(Notification delivered) {
        add(delivered.getDedupeId());
        return CompletableFuture.completedFuture(null);
    }

    public synchronized int size() {
        return ids.size();
    }
}
