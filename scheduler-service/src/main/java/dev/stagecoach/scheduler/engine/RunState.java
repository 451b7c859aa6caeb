package dev.stagecoach.scheduler.engine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the engine knows about one run. A run is pinned to the pipeline revision it
 * started with, so re-registering a pipeline never changes a run in flight.
 *
 * @param stages in the order the pipeline declares them
 */
public record RunState(
        String runId,
        String pipeline,
        int pipelineRevision,
        String pipelineYaml,
        Map<String, String> parameters,
        String requestedBy,
        RunStatus status,
        Map<String, StageState> stages,
        Instant createdAt,
        Instant deadline,
        Instant finishedAt,
        String reason) {

    public RunState {
        parameters = Map.copyOf(parameters);
        stages = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stages));
    }

    public StageState stage(String name) {
        return stages.get(name);
    }

    public List<StageState> stageList() {
        return List.copyOf(stages.values());
    }

    RunState withStage(StageState stage) {
        Map<String, StageState> next = new LinkedHashMap<>(stages);
        next.put(stage.name(), stage);
        return new RunState(runId, pipeline, pipelineRevision, pipelineYaml, parameters, requestedBy, status, next,
                createdAt, deadline, finishedAt, reason);
    }

    RunState ended(RunStatus next, Instant at, String why) {
        if (!status.canBecome(next)) {
            throw new IllegalStateException("Expected run " + runId + " to be able to go from " + status + " to " + next);
        }
        return new RunState(runId, pipeline, pipelineRevision, pipelineYaml, parameters, requestedBy, next, stages,
                createdAt, deadline, at, why);
    }
}
