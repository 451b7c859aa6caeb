package dev.stagecoach.notifier;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dedupe ids delivered lately, in memory and bounded: the least recently seen id is
 * forgotten first. Enough while one notifier instance owns the notifications topic and
 * redeliveries come soon after the original (a rebalance, a restart with uncommitted
 * offsets); after a restart the memory is empty, so a receiver still gets the
 * Idempotency-Key header to drop what it already has.
 */
public final class RecentlyDelivered {

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

    public synchronized boolean contains(String dedupeId) {
        return ids.get(dedupeId) != null;
    }

    public synchronized void add(String dedupeId) {
        ids.put(dedupeId, Boolean.TRUE);
    }

    public synchronized int size() {
        return ids.size();
    }
}
