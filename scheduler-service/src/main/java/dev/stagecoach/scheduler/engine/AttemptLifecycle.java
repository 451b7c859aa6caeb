package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.Durations;
import dev.stagecoach.pipeline.Gate;
import dev.stagecoach.pipeline.OnFailure;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.RetryPolicy;
import dev.stagecoach.pipeline.StageSpec;
import dev.stagecoach.scheduler.engine.EngineEvent.Outcome;
import dev.stagecoach.scheduler.engine.EngineEvent.StageFinished;
import dev.stagecoach.scheduler.engine.EngineEvent.StageHeartbeat;
import dev.stagecoach.scheduler.engine.EngineEvent.StageStarted;
import dev.stagecoach.scheduler.engine.EngineEvent.TimerFired;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The life of one attempt: started, heart-beating, finished; lost when no worker starts it,
 * when its worker falls silent or when it outlives its deadline; retried as the policy says.
 * Also the run's own timeout, and approvals that time out.
 */
final class AttemptLifecycle {

    private final Dispatcher dispatcher;
    private final Ending ending;

    AttemptLifecycle(Dispatcher dispatcher, Ending ending) {
        this.dispatcher = dispatcher;
        this.ending = ending;
    }

    String onStageStarted(Step step, StageStarted started) {
        StageState stage = step.state.stage(started.stage());
        String stale = staleness(step.state, stage, started.stage(), started.attemptId());
        if (stale != null) {
            return stale;
        }
        if (stage.status() != StageStatus.DISPATCHED) {
            return "attempt " + started.attemptId() + " is already " + stage.status() + "; a repeated start changes nothing";
        }
        if (stage.deadline() != null) {
            step.effect(new Effect.CancelTimer(Timers.start(stage), stage.deadline()));
        }
        StageSpec spec = step.spec(stage.name());
        Instant heartbeatDeadline = step.now.plus(EngineEvent.HEARTBEAT_TIMEOUT);
        Instant deadline = step.now.plus(spec.timeout()).plus(EngineEvent.DEADLINE_GRACE);
        step.put(stage.started(started.worker(), step.now, deadline, heartbeatDeadline));
        step.effect(new Effect.ScheduleTimer(Timers.deadline(stage), deadline));
        step.effect(new Effect.ScheduleTimer(Timers.heartbeat(stage), heartbeatDeadline));
        step.event("STAGE_STARTED", stage.name(), stage.attempts(), "on worker " + started.worker());
        return null;
    }

    String onHeartbeat(Step step, StageHeartbeat heartbeat) {
        StageState stage = step.state.stage(heartbeat.stage());
        String stale = staleness(step.state, stage, heartbeat.stage(), heartbeat.attemptId());
        if (stale != null) {
            return stale;
        }
        if (stage.status() != StageStatus.RUNNING) {
            return "heartbeat for attempt " + heartbeat.attemptId() + " while it is " + stage.status();
        }
        Instant next = step.now.plus(EngineEvent.HEARTBEAT_TIMEOUT);
        step.effect(new Effect.CancelTimer(Timers.heartbeat(stage), stage.heartbeatDeadline()));
        step.effect(new Effect.ScheduleTimer(Timers.heartbeat(stage), next));
        step.put(stage.heartbeat(next));
        return null;
    }

    String onStageFinished(Step step, StageFinished finished) {
        StageState stage = step.state.stage(finished.stage());
        String stale = staleness(step.state, stage, finished.stage(), finished.attemptId());
        if (stale != null) {
            return stale;
        }
        if (!stage.status().isInFlight()) {
            return "attempt " + finished.attemptId() + " already ended as " + stage.status() + "; a repeated result changes nothing";
        }
        step.cancelAttemptTimers(stage);
        List<Gate.Result> failedGates = Gate.checkAll(step.spec(stage.name()).gates(), finished.metrics()).stream()
                .filter(r -> !r.passed() && r.gate().severity() == Gate.Severity.FAIL).toList();
        if (finished.outcome() == Outcome.SUCCEEDED && failedGates.isEmpty()) {
            step.put(stage.finished(StageStatus.SUCCEEDED, step.now, finished.durationMillis(), finished.exitCode(),
                    null, finished.outputTail(), finished.metrics(), finished.outputs(), finished.artifacts()));
            step.event("STAGE_SUCCEEDED", stage.name(), stage.attempts(), "in " + millis(finished.durationMillis()));
            return null;
        }
        if (finished.outcome() == Outcome.SUCCEEDED) {
            String why = "quality gate failed: " + String.join("; ", failedGates.stream().map(Gate.Result::message).toList());
            attemptFailed(step, stage.withMetrics(finished.metrics()), why, finished.exitCode(), finished.durationMillis(),
                    finished.outputTail(), finished.artifacts());
            return null;
        }
        String why = switch (finished.outcome()) {
            case TIMED_OUT -> "timed out after " + Durations.format(step.spec(stage.name()).timeout())
                    + ("shell".equals(step.spec(stage.name()).kind()) ? "; the worker killed its processes" : "");
            case CANCELLED -> "cancelled on the worker";
            default -> finished.error() != null ? finished.error() : "exited with code " + finished.exitCode();
        };
        attemptFailed(step, stage, why, finished.exitCode(), finished.durationMillis(), finished.outputTail(), finished.artifacts());
        return null;
    }

    String onTimerFired(Step step, TimerFired timer) {
        if (step.state.status().isTerminal()) {
            return "timer " + timer.timerId() + " fired after the run ended";
        }
        if (timer.timerId().equals(RunEngine.RUN_TIMEOUT)) {
            String reason = "the run exceeded its timeout of "
                    + Durations.format(step.definition.optionsFor(step.state.parameters()).timeout());
            if (step.state.concluded() != null) {
                ending.finishRun(step, RunStatus.CANCELLED, reason);
            } else {
                ending.conclude(step, RunStatus.CANCELLED, reason, false);
            }
            return null;
        }
        Timers.Parsed parsed = Timers.parse(timer.timerId());
        if (parsed == null) {
            return "unknown timer " + timer.timerId();
        }
        StageState stage = step.state.stage(parsed.stage());
        if (stage == null || stage.attempts() != parsed.attempt() && parsed.kind() != Timers.Kind.RETRY) {
            return "timer " + timer.timerId() + " belongs to an attempt that is over";
        }
        return switch (parsed.kind()) {
            case APPROVAL -> {
                if (stage.status() != StageStatus.AWAITING_APPROVAL || stage.approval() != null) {
                    yield "approval timer " + timer.timerId() + " fired after the decision";
                }
                String why = "no approval within " + Durations.format(step.spec(stage.name()).manualApproval().timeout());
                step.put(stage.finished(StageStatus.FAILED, step.now, null, null, why, List.of(), Map.of(), Map.of(), List.of()));
                step.event("STAGE_REJECTED", stage.name(), null, why);
                yield null;
            }
            case RETRY -> stage.status() == StageStatus.RETRY_WAIT && stage.attempts() + 1 == parsed.attempt()
                    ? null : "retry timer " + timer.timerId() + " is no longer wanted";
            case START -> {
                if (stage.status() != StageStatus.DISPATCHED) {
                    yield "start timer " + timer.timerId() + " fired after the attempt " + (stage.status().isInFlight() ? "started" : "ended");
                }
                StageSpec spec = step.spec(stage.name());
                String why = "no worker of pool \"" + spec.pool() + "\" started stage \"" + stage.name() + "\" within "
                        + Durations.format(dispatcher.startTimeoutOf(spec)) + "; the attempt was lost";
                // A worker that claims the command late must not run it next to the retry.
                step.effect(new Effect.CancelStage(stage.name(), stage.attempts(), stage.attemptId(), spec.pool()));
                attemptFailed(step, stage, why, null, null, List.of(), List.of());
                yield null;
            }
            case DEADLINE, HEARTBEAT -> {
                if (!stage.status().isInFlight()) {
                    yield "timer " + timer.timerId() + " fired for an attempt that already ended";
                }
                String why = parsed.kind() == Timers.Kind.DEADLINE
                        ? "no result within the stage timeout plus " + Durations.format(EngineEvent.DEADLINE_GRACE) + "; the attempt was lost"
                        : "worker " + stage.worker() + " stopped sending heartbeats; the attempt was lost";
                step.effect(new Effect.CancelStage(stage.name(), stage.attempts(), stage.attemptId(), step.spec(stage.name()).pool()));
                step.cancelAttemptTimers(stage);
                attemptFailed(step, stage, why, null, null, stage.outputTail(), List.of());
                yield null;
            }
        };
    }

    /** @param artifacts what the worker kept of the failed attempt: a failed test run's reports are wanted most */
    private void attemptFailed(Step step, StageState stage, String why, Integer exitCode, Long durationMillis, List<String> tail,
                               List<Artifact> artifacts) {
        StageSpec spec = step.spec(stage.name());
        RetryPolicy policy = step.definition.retryPolicyOf(spec);
        if (spec.onFailure() != OnFailure.ABORT && policy.allowsAnotherAttemptAfter(stage.attemptsThisRound())) {
            Instant retryAt = step.now.plus(policy.delayAfter(stage.attemptsThisRound(), Timers.jitterUnit(stage.attemptId())));
            step.put(stage.waitingForRetry(step.now, retryAt, durationMillis, exitCode, why, tail, artifacts));
            step.effect(new Effect.ScheduleTimer(Timers.retry(stage.name(), stage.attempts() + 1), retryAt));
            step.event("STAGE_RETRYING", stage.name(), stage.attempts(), "attempt " + stage.attemptsThisRound() + " of "
                    + policy.maxAttempts() + " failed (" + why + "); next attempt at " + retryAt);
            if (spec.onFailure() == OnFailure.ROLLBACK_AND_RETRY) {
                String rollback = PipelineDefinition.rollbackStepOf(stage.name());
                StageState previous = step.state.stage(rollback);
                dispatcher.dispatch(step, previous == null ? StageState.pending(rollback) : previous.again());
            }
            return;
        }
        step.put(stage.finished(StageStatus.FAILED, step.now, durationMillis, exitCode, why, tail, stage.metrics(), Map.of(), artifacts));
        step.event("STAGE_FAILED", stage.name(), stage.attempts(), why);
    }

    /** Why a message about {@code attemptId} must not change the stage, or null when it is the current attempt. */
    private static String staleness(RunState state, StageState stage, String stageName, String attemptId) {
        if (stage == null) {
            return "run " + state.runId() + " has no stage \"" + stageName + "\"";
        }
        if (stage.attemptId() == null || !stage.attemptId().equals(attemptId)) {
            return "attempt " + attemptId + " is stale: stage \"" + stageName + "\" waits for "
                    + (stage.attemptId() == null ? "no attempt" : "attempt " + stage.attemptId());
        }
        return null;
    }

    private static String millis(Long durationMillis) {
        return durationMillis == null ? "an unknown time" : durationMillis + " ms";
    }
}
