package dev.stagecoach.scheduler.streams;

import dev.stagecoach.scheduler.engine.RunState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runs this task touched last, as objects, in front of the runs store. The store holds
 * JSON, and reading a run of a thousand shards back from JSON on every event cost a third
 * of the scheduler's CPU. The processor writes every change to the store and here alike,
 * and starts with an empty one whenever its task is initialised, so this never holds what
 * the store does not.
 */
final class RecentRuns {

    private static final int CAPACITY = 1_000;

    private final Map<String, RunState> runs = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RunState> eldest) {
            return size() > CAPACITY;
        }
    };

    RunState get(String runId) {
        return runs.get(runId);
    }

    void put(String runId, RunState state) {
        runs.put(runId, state);
    }

    void remove(String runId) {
        runs.remove(runId);
    }
}
