package dev.stagecoach.scheduler.api;

import dev.stagecoach.pipeline.ParameterBinder;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.scheduler.engine.Approval;
import dev.stagecoach.scheduler.engine.Artifact;
import dev.stagecoach.scheduler.engine.RunState;
import dev.stagecoach.scheduler.engine.StageState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A run as the API shows it: no pipeline text, secrets masked. */
public record RunView(String runId, String pipeline, int revision, String status, String reason, String requestedBy,
                      Map<String, String> parameters, Instant createdAt, Instant finishedAt, List<StageView> stages) {

    public record StageView(String name, String status, int attempts, String worker, Instant startedAt,
                            Instant finishedAt, Long durationMillis, Integer exitCode, String error, List<String> outputTail,
                            Instant awaitingApprovalSince, Approval approval, List<Artifact> artifacts) {

        static StageView of(StageState s) {
            return new StageView(s.name(), s.status().name(), s.attempts(), s.worker(), s.startedAt(), s.finishedAt(),
                    s.durationMillis(), s.exitCode(), s.error(), s.outputTail(), s.awaitingSince(), s.approval(), s.artifacts());
        }
    }

    static RunView of(RunState run, PipelineDefinition definition) {
        Map<String, String> parameters = definition == null ? run.parameters() : ParameterBinder.masked(definition, run.parameters());
        return new RunView(run.runId(), run.pipeline(), run.pipelineRevision(), run.status().name(), run.reason(),
                run.requestedBy(), parameters, run.createdAt(), run.finishedAt(),
                run.stageList().stream().map(StageView::of).toList());
    }
}
