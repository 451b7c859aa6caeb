package dev.stagecoach.scheduler.observe;

import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.ShardExpansion;
import dev.stagecoach.scheduler.engine.RunState;
import dev.stagecoach.scheduler.engine.StageState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How far a run is, and when it should end. The estimate takes each stage's median duration
 * over the pipeline's recent successful runs and walks the stages' {@code needs}: a stage not
 * yet started ends a median after the last of the stages it needs, a running one a median
 * after it started (or now, when it is late). The run ends when its last stage does. Null
 * when the run ended, or when a stage still to run never succeeded in the history.
 *
 * @param done stages that ended
 * @param running stages dispatched or running now
 */
public record Progress(int done, int total, List<String> running, Instant estimatedEnd, Long remainingMillis) {

    /** @param expanded the run's revision with its shards spelled out ({@link ShardExpansion#expand}), or null when it no longer loads */
    public static Progress of(RunState run, PipelineDefinition expanded, List<RunSummary> recentSuccesses, Instant now) {
        int done = 0;
        List<String> running = new ArrayList<>();
        for (StageState stage : run.stageList()) {
            if (stage.status().isTerminal()) {
                done++;
            } else if (stage.status().isInFlight()) {
                running.add(stage.name());
            }
        }
        Instant end = run.status().isTerminal() || expanded == null ? null
                : new Estimate(run, expanded, medians(recentSuccesses), now).runEnd();
        Long remaining = end == null ? null : Math.max(0, Duration.between(now, end).toMillis());
        return new Progress(done, run.stages().size(), List.copyOf(running), end, remaining);
    }

    /** Each stage's median duration in milliseconds over {@code runs}. */
    static Map<String, Long> medians(List<RunSummary> runs) {
        Map<String, List<Long>> durations = new HashMap<>();
        runs.forEach(run -> run.succeededIn().forEach((stage, took) -> durations.computeIfAbsent(stage, s -> new ArrayList<>()).add(took)));
        Map<String, Long> medians = new HashMap<>();
        durations.forEach((stage, took) -> medians.put(stage, took.stream().sorted().toList().get(took.size() / 2)));
        return medians;
    }

    private static final class Estimate {
        private final RunState run;
        private final Map<String, List<String>> needs;
        private final java.util.Set<String> finallyStages = new java.util.HashSet<>();
        private final Map<String, Long> medians;
        private final Instant now;
        private final Map<String, Instant> ends = new HashMap<>();
        private boolean unknown;

        Estimate(RunState run, PipelineDefinition expanded, Map<String, Long> medians, Instant now) {
            this.run = run;
            this.medians = medians;
            this.now = now;
            this.needs = expanded.effectiveNeeds();
            expanded.finallyStages().forEach(s -> finallyStages.add(s.name()));
        }

        Instant runEnd() {
            Instant last = now;
            for (StageState stage : run.stageList()) {
                last = latest(last, endOf(stage));
            }
            return unknown ? null : last;
        }

        private Instant endOf(StageState stage) {
            Instant known = ends.get(stage.name());
            if (known != null || unknown) {
                return known == null ? now : known;
            }
            Instant end;
            if (stage.status().isTerminal()) {
                end = stage.finishedAt() == null ? now : stage.finishedAt();
            } else {
                Long median = medians.get(ShardExpansion.stageOf(stage.name()));
                if (median == null) {
                    unknown = true;
                    return now;
                }
                Instant from = stage.startedAt() != null ? stage.startedAt() : startOf(stage);
                end = latest(now, from.plusMillis(median));
            }
            ends.put(stage.name(), end);
            return end;
        }

        /** A stage starts when the last stage it needs ended; a finally stage when every main stage did. */
        private Instant startOf(StageState stage) {
            Instant start = now;
            if (finallyStages.contains(stage.name())) {
                for (StageState other : run.stageList()) {
                    if (!finallyStages.contains(other.name())) {
                        start = latest(start, endOf(other));
                    }
                }
                return start;
            }
            for (String needed : needs.getOrDefault(stage.name(), List.of())) {
                StageState other = run.stage(needed);
                if (other != null) {
                    start = latest(start, endOf(other));
                }
            }
            return start;
        }

        private static Instant latest(Instant a, Instant b) {
            return a.isAfter(b) ? a : b;
        }
    }
}
