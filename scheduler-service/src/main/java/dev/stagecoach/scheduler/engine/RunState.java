package dev.stagecoach.scheduler.engine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the engine knows about one run. A run is pinned to the pipeline revision it
 * started with, so re-registering a pipeline never changes a run in flight. Its status moves
 * only along the rows of {@link RunStatus#TRANSITIONS}; {@link Step} checks each move.
 *
 * @param trigger what started the run (MANUAL, CRON, WEBHOOK, EVENT, CONDITIONAL), or null when not known
 * @param stages in the order the pipeline declares them, finally stages last
 * @param concluded the outcome decided while finally stages still run, or null
 */
public record RunState(
        String runId,
        String pipeline,
        int pipelineRevision,
        String pipelineYaml,
        Map<String, String> parameters,
        String requestedBy,
        String trigger,
        RunStatus status,
        Map<String, StageState> stages,
        Instant createdAt,
        Instant deadline,
        Instant finishedAt,
        String reason,
        Conclusion concluded) {

    /** An outcome that waits for the finally stages before it becomes the run's status. */
    public record Conclusion(RunStatus status, String reason) {
    }

    /** A run whose trigger is not known. */
    public RunState(String runId, String pipeline, int pipelineRevision, String pipelineYaml, Map<String, String> parameters,
                    String requestedBy, RunStatus status, Map<String, StageState> stages, Instant createdAt, Instant deadline,
                    Instant finishedAt, String reason, Conclusion concluded) {
        this(runId, pipeline, pipelineRevision, pipelineYaml, parameters, requestedBy, null, status, stages, createdAt,
                deadline, finishedAt, reason, concluded);
    }

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
        return new RunState(runId, pipeline, pipelineRevision, pipelineYaml, parameters, requestedBy, trigger, status, next,
                createdAt, deadline, finishedAt, reason, concluded);
    }

    RunState ended(RunStatus next, Instant at, String why) {
        return new RunState(runId, pipeline, pipelineRevision, pipelineYaml, parameters, requestedBy, trigger, next, stages,
                createdAt, deadline, at, why, null);
    }

    RunState concluding(Conclusion conclusion) {
        return new RunState(runId, pipeline, pipelineRevision, pipelineYaml, parameters, requestedBy, trigger, status, stages,
                createdAt, deadline, finishedAt, reason, conclusion);
    }

    RunState resumed(Instant newDeadline) {
        return new RunState(runId, pipeline, pipelineRevision, pipelineYaml, parameters, requestedBy, trigger, RunStatus.RUNNING,
                stages, createdAt, newDeadline, null, null, null);
    }
}
