package dev.stagecoach.scheduler.streams;

import dev.stagecoach.events.Channel;
import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.FailedStage;
import dev.stagecoach.events.Notification;
import dev.stagecoach.events.RunEvent;
import dev.stagecoach.events.RunSnapshot;
import dev.stagecoach.events.SecretTextPart;
import dev.stagecoach.events.SecretTextPartKind;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.StageSnapshot;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.ShardExpansion;
import dev.stagecoach.scheduler.engine.Effect;
import dev.stagecoach.scheduler.engine.RunState;
import dev.stagecoach.scheduler.engine.SecretText;
import dev.stagecoach.scheduler.engine.StageState;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Turns the engine's effects and state into the records other services read. */
final class EffectRecords {

    private EffectRecords() {
    }

    static String commandKey(String runId, String stage) {
        return runId + "/" + stage;
    }

    static StageCommand execute(RunState run, Effect.DispatchStage dispatch, Instant now) {
        return StageCommand.newBuilder()
                .setRunId(run.runId())
                .setStage(dispatch.stage())
                .setAttempt(dispatch.attempt())
                .setAttemptId(dispatch.attemptId())
                .setAction(CommandAction.EXECUTE)
                .setPool(dispatch.pool())
                .setKind(dispatch.kind())
                .setCommand(dispatch.command())
                .setEnv(dispatch.env())
                .setInputs(dispatch.inputs())
                .setArtifacts(dispatch.artifacts())
                .setSecretEnv(pieces(dispatch.secretEnv()))
                .setSecretInputs(pieces(dispatch.secretInputs()))
                .setTimeoutMillis(dispatch.timeout().toMillis())
                .setHeartbeatMillis(dev.stagecoach.scheduler.engine.EngineEvent.HEARTBEAT_INTERVAL.toMillis())
                .setPipeline(run.pipeline())
                .setIssuedAt(now)
                .build();
    }

    private static Map<String, List<SecretTextPart>> pieces(Map<String, SecretText> values) {
        Map<String, List<SecretTextPart>> pieces = new LinkedHashMap<>();
        values.forEach((name, text) -> pieces.put(name, text.pieces().stream().map(EffectRecords::part).toList()));
        return pieces;
    }

    private static SecretTextPart part(SecretText.Piece piece) {
        if (piece instanceof SecretText.Secret secret) {
            return new SecretTextPart(SecretTextPartKind.SECRET, secret.name(), null);
        }
        if (piece instanceof SecretText.SealedParameter sealed) {
            return new SecretTextPart(SecretTextPartKind.SEALED_PARAMETER, sealed.sealed(), sealed.parameter());
        }
        return new SecretTextPart(SecretTextPartKind.TEXT, ((SecretText.Text) piece).text(), null);
    }

    static StageCommand cancel(RunState run, Effect.CancelStage cancel, Instant now) {
        return StageCommand.newBuilder()
                .setRunId(run.runId())
                .setStage(cancel.stage())
                .setAttempt(cancel.attempt())
                .setAttemptId(cancel.attemptId())
                .setAction(CommandAction.CANCEL)
                .setPool(cancel.pool())
                .setTimeoutMillis(0)
                .setPipeline(run.pipeline())
                .setIssuedAt(now)
                .build();
    }

    static RunEvent runEvent(RunState run, Effect.EmitRunEvent event, Instant now) {
        return RunEvent.newBuilder()
                .setRunId(run.runId())
                .setPipeline(run.pipeline())
                .setType(event.type())
                .setStage(event.stage())
                .setAttempt(event.attempt())
                .setMessage(event.message() == null ? "" : event.message())
                .setAt(now)
                .build();
    }

    static Notification notification(RunState run, Effect.Notify notify, Instant now) {
        return Notification.newBuilder()
                .setDedupeId(notify.dedupeId())
                .setRunId(run.runId())
                .setPipeline(run.pipeline())
                .setEvent(notify.event().key())
                .setChannel(Channel.valueOf(notify.target().channel().name()))
                .setTarget(notify.target().target())
                .setSubject(notify.subject())
                .setBody(notify.body())
                .setRunStatus(run.status().name())
                .setCreatedAt(now)
                .setStartedBy(run.requestedBy() == null ? "" : run.requestedBy())
                .setRunStartedAt(run.createdAt())
                .setRunFinishedAt(run.finishedAt())
                .setReason(run.reason() == null ? "" : run.reason())
                .setFailedStage(failedStage(run, notify.facts().failedStage()))
                .setNonCriticalFailures(notify.facts().nonCriticalFailures())
                .setApprovalStage(notify.facts().approvalStage())
                .setApprovers(notify.facts().approvers())
                .build();
    }

    private static FailedStage failedStage(RunState run, String name) {
        StageState stage = name == null ? null : run.stage(name);
        if (stage == null) {
            return null;
        }
        return FailedStage.newBuilder()
                .setName(name)
                .setExitCode(stage.exitCode())
                .setError(stage.error() == null ? "" : stage.error())
                .setOutputTail(stage.outputTail())
                .build();
    }

    static RunSnapshot snapshot(RunState run, PipelineDefinition definition) {
        Map<String, String> parameters = definition == null ? run.parameters()
                : dev.stagecoach.pipeline.ParameterBinder.masked(definition, run.parameters());
        // Shards take their stage's setting; looked up once per stage, not by scanning the pipeline per stage.
        Map<String, Boolean> critical = new HashMap<>();
        if (definition != null) {
            Stream.concat(definition.stages().stream(), definition.finallyStages().stream())
                    .forEach(spec -> critical.put(spec.name(), spec.critical()));
        }
        List<StageSnapshot> stages = run.stageList().stream().map(s -> StageSnapshot.newBuilder()
                .setName(s.name())
                .setStatus(s.status().name())
                .setAttempts(s.attempts())
                .setCritical(critical.getOrDefault(ShardExpansion.stageOf(s.name()), true))
                .setStartedAt(s.startedAt())
                .setFinishedAt(s.finishedAt())
                .setExitCode(s.exitCode())
                .setError(s.error())
                .setOutputTail(s.outputTail())
                .build()).toList();
        return RunSnapshot.newBuilder()
                .setRunId(run.runId())
                .setPipeline(run.pipeline())
                .setPipelineRevision(run.pipelineRevision())
                .setStatus(run.status().name())
                .setTrigger(run.trigger())
                .setRequestedBy(run.requestedBy())
                .setParameters(parameters)
                .setStages(stages)
                .setCreatedAt(run.createdAt())
                .setFinishedAt(run.finishedAt())
                .setReason(run.reason())
                .build();
    }
}
