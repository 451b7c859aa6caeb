package dev.stagecoach.scheduler.streams;

import dev.stagecoach.events.Control;
import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.StageResult;
import dev.stagecoach.scheduler.engine.Artifact;
import dev.stagecoach.scheduler.engine.EngineEvent;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Turns the records the engine consumes into engine events. */
final class EngineInputs {

    private EngineInputs() {
    }

    /**
     * @param pipelines looks up the registered revision of a pipeline by name, or null
     * @return the event, or null for a record the engine does not act on (with no run to blame)
     */
    static EngineEvent toEvent(Object value, Function<String, PipelineRegistered> pipelines) {
        if (value instanceof RunRequested request) {
            PipelineRegistered pipeline = pipelines.apply(request.getPipeline());
            return new EngineEvent.RunCreated(request.getRunId(), request.getPipeline(),
                    pipeline == null ? 0 : pipeline.getRevision(), pipeline == null ? null : pipeline.getYaml(),
                    Map.copyOf(request.getParameters()), request.getRequestedBy(),
                    request.getTrigger().name());
        }
        if (value instanceof StageResult result) {
            return switch (result.getType()) {
                case STARTED -> new EngineEvent.StageStarted(result.getStage(), result.getAttemptId(), result.getWorker());
                case HEARTBEAT -> new EngineEvent.StageHeartbeat(result.getStage(), result.getAttemptId());
                case FINISHED -> new EngineEvent.StageFinished(result.getStage(), result.getAttemptId(),
                        outcome(result), result.getExitCode(), result.getDurationMillis(), result.getError(),
                        List.copyOf(result.getOutputTail()), Map.copyOf(result.getMetrics()), Map.copyOf(result.getOutputs()),
                        result.getArtifacts().stream().map(a -> new Artifact(a.getPath(), a.getLocation(), a.getSizeBytes(), a.getSha256()))
                                .toList());
                case UNKNOWN -> null;
            };
        }
        if (value instanceof Control control) {
            return switch (control.getAction()) {
                case CANCEL -> new EngineEvent.Cancel(control.getBy(), control.getComment());
                case APPROVE -> new EngineEvent.Approve(control.getStage(), control.getBy(), control.getComment());
                case REJECT -> new EngineEvent.Reject(control.getStage(), control.getBy(), control.getComment());
                case RESUME -> new EngineEvent.Resume(control.getBy());
                case RETRY, UNKNOWN -> null;
            };
        }
        return null;
    }

    private static EngineEvent.Outcome outcome(StageResult result) {
        if (result.getOutcome() == null) {
            return EngineEvent.Outcome.FAILED;
        }
        return switch (result.getOutcome()) {
            case SUCCEEDED -> EngineEvent.Outcome.SUCCEEDED;
            case TIMED_OUT -> EngineEvent.Outcome.TIMED_OUT;
            case CANCELLED -> EngineEvent.Outcome.CANCELLED;
            case FAILED, UNKNOWN -> EngineEvent.Outcome.FAILED;
        };
    }
}
