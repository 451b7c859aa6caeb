package dev.stagecoach.scheduler.api;

import dev.stagecoach.pipeline.ManualApproval;
import dev.stagecoach.pipeline.ParameterBinder;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.ShardExpansion;
import dev.stagecoach.pipeline.StageSpec;
import dev.stagecoach.scheduler.engine.Approval;
import dev.stagecoach.scheduler.engine.Artifact;
import dev.stagecoach.scheduler.engine.RunState;
import dev.stagecoach.scheduler.engine.StageState;
import dev.stagecoach.scheduler.observe.Progress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A run as the API shows it: no pipeline text, secrets masked. */
public record RunView(String runId, String pipeline, int revision, String status, String reason, String requestedBy,
                      String trigger, Map<String, String> parameters, Instant createdAt, Instant finishedAt, Progress progress,
                      List<StageView> stages) {

    public record StageView(String name, String status, int attempts, String worker, Instant startedAt,
                            Instant finishedAt, Long durationMillis, Integer exitCode, String error, List<String> outputTail,
                            Instant awaitingApprovalSince, Approval approval, List<Artifact> artifacts,
                            Map<String, String> outputs, Map<String, Double> metrics, List<String> needs, List<String> approvers) {

        static StageView of(StageState s, Map<String, List<String>> needs, PipelineDefinition definition) {
            List<String> approvers = definition == null ? List.of() : definition.stage(ShardExpansion.stageOf(s.name()))
                    .map(StageSpec::manualApproval).map(ManualApproval::approvers).orElse(List.of());
            return new StageView(s.name(), s.status().name(), s.attempts(), s.worker(), s.startedAt(), s.finishedAt(),
                    s.durationMillis(), s.exitCode(), s.error(), s.outputTail(), s.awaitingSince(), s.approval(), s.artifacts(),
                    s.outputs(), s.metrics(), needs.getOrDefault(s.name(), List.of()), approvers);
        }
    }

    /**
     * @param definition the run's revision as declared, or null when it no longer loads
     * @param expanded the same with its shards spelled out, or null
     */
    static RunView of(RunState run, PipelineDefinition definition, PipelineDefinition expanded, Progress progress) {
        Map<String, String> parameters = definition == null ? run.parameters() : ParameterBinder.masked(definition, run.parameters());
        // What each stage waits for, shards spelled out: the dashboard draws the run's graph from it.
        Map<String, List<String>> needs = expanded == null ? Map.of() : expanded.effectiveNeeds();
        return new RunView(run.runId(), run.pipeline(), run.pipelineRevision(), run.status().name(), run.reason(),
                run.requestedBy(), run.trigger(), parameters, run.createdAt(), run.finishedAt(), progress,
                run.stageList().stream().map(s -> StageView.of(s, needs, definition)).toList());
    }
}
