package dev.stagecoach.scheduler.streams;

import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.scheduler.engine.RunState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs whose snapshot is due on the compacted runs topic. A run that changes ten times
 * within a snapshot interval is published once, with its last state: the topic is
 * compacted, so readers lose nothing they could have kept, and under load the engine stops
 * encoding and writing a whole run per event (a quarter of its CPU when it did).
 *
 * <p>A run that ends is never held back: its terminal snapshot goes out with the change
 * that ended it. What is pending when the task closes is dropped, and the run's next change
 * (at the latest, its end) publishes it again.
 */
final class PendingSnapshots {

    record Due(RunState run, PipelineDefinition definition) {
    }

    private final Map<String, Due> pending = new LinkedHashMap<>();
    private final boolean coalesce;

    /** @param coalesce false publishes every change at once */
    PendingSnapshots(boolean coalesce) {
        this.coalesce = coalesce;
    }

    /** Returns the snapshot to publish now, or null when it may wait for {@link #drain()}. */
    Due changed(RunState run, PipelineDefinition definition) {
        Due due = new Due(run, definition);
        if (!coalesce || run.status().isTerminal()) {
            pending.remove(run.runId());
            return due;
        }
        pending.put(run.runId(), due);
        return null;
    }

    /** Everything pending, oldest change first; afterwards nothing is. */
    /** A forgotten run publishes no more snapshots. */
    void forget(String runId) {
        pending.remove(runId);
    }

    List<Due> drain() {
        List<Due> due = new ArrayList<>(pending.values());
        pending.clear();
        return due;
    }
}
