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
import java.util.Optional;

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

    Optional<Refusal> onStageStarted(Step step, StageStarted started) {
        StageState stage = step.state.stage(started.stage());
        Optional<Refusal> stale = staleness(step.state, stage, started.stage(), started.attemptId());
        if (stale.isPresent()) {
            return stale;
        }
        if (stage.status() != StageStatus.DISPATCHED) {
            return RunEngine.refused(Refusal.Kind.REPEATED, "attempt " + started.attemptId() + " is already " + stage.status()
                    + "; a repeated start changes nothing");
        }
        step.cancelAttemptTimers(stage);
        StageSpec spec = step.spec(stage.name());
        Instant heartbeatBy = step.now.plus(EngineEvent.HEARTBEAT_TIMEOUT);
        Instant resultBy = step.now.plus(spec.timeout()).plus(EngineEvent.DEADLINE_GRACE);
        StageState running = stage.started(started.worker(), step.now, resultBy, heartbeatBy);
        step.move(StageChange.START, running);
        // One timer per running attempt, not one per deadline: a stage execution writes fewer timer records.
        step.effect(new Effect.ScheduleTimer(Timers.watch(running), running.attempt().lostAt()));
        step.event("STAGE_STARTED", stage.name(), stage.attempts(), "on worker " + started.worker());
        return Optional.empty();
    }

    Optional<Refusal> onHeartbeat(Step step, StageHeartbeat heartbeat) {
        StageState stage = step.state.stage(heartbeat.stage());
        Optional<Refusal> stale = staleness(step.state, stage, heartbeat.stage(), heartbeat.attemptId());
        if (stale.isPresent()) {
            return stale;
        }
        if (stage.status() != StageStatus.RUNNING) {
            return RunEngine.refused(Refusal.Kind.REPEATED, "heartbeat for attempt " + heartbeat.attemptId() + " while it is "
                    + stage.status());
        }
        StageState beating = stage.heartbeat(step.now.plus(EngineEvent.HEARTBEAT_TIMEOUT));
        step.effect(new Effect.CancelTimer(Timers.watch(stage), stage.attempt().lostAt()));
        step.effect(new Effect.ScheduleTimer(Timers.watch(beating), beating.attempt().lostAt()));
        step.put(beating);
        return Optional.empty();
    }

    Optional<Refusal> onStageFinished(Step step, StageFinished finished) {
        StageState stage = step.state.stage(finished.stage());
        Optional<Refusal> stale = staleness(step.state, stage, finished.stage(), finished.attemptId());
        if (stale.isPresent()) {
            return stale;
        }
        if (!stage.status().isInFlight()) {
            return RunEngine.refused(Refusal.Kind.REPEATED, "attempt " + finished.attemptId() + " already ended as "
                    + stage.status() + "; a repeated result changes nothing");
        }
        step.cancelAttemptTimers(stage);
        List<Gate.Result> failedGates = Gate.checkAll(step.spec(stage.name()).gates(), finished.metrics()).stream()
                .filter(r -> !r.passed() && r.gate().severity() == Gate.Severity.FAIL).toList();
        if (finished.outcome() == Outcome.SUCCEEDED && failedGates.isEmpty()) {
            step.move(StageChange.SUCCEED, stage.finished(StageStatus.SUCCEEDED, new StageState.Result(step.now,
                    finished.durationMillis(), finished.exitCode(), null, finished.outputTail(), finished.metrics(),
                    finished.outputs(), finished.artifacts())));
            step.event("STAGE_SUCCEEDED", stage.name(), stage.attempts(), "in " + millis(finished.durationMillis()));
            return Optional.empty();
        }
        if (finished.outcome() == Outcome.SUCCEEDED) {
            String why = "quality gate failed: " + String.join("; ", failedGates.stream().map(Gate.Result::message).toList());
            // The metrics stay: the report shows what failed the gate.
            attemptFailed(step, stage, new StageState.Result(step.now, finished.durationMillis(), finished.exitCode(), why,
                    finished.outputTail(), finished.metrics(), null, finished.artifacts()));
            return Optional.empty();
        }
        String why = switch (finished.outcome()) {
            case TIMED_OUT -> "timed out after " + Durations.format(step.spec(stage.name()).timeout())
                    + ("shell".equals(step.spec(stage.name()).kind()) ? "; the worker killed its processes" : "");
            case CANCELLED -> "cancelled on the worker";
            default -> finished.error() != null ? finished.error() : "exited with code " + finished.exitCode();
        };
        attemptFailed(step, stage, new StageState.Result(step.now, finished.durationMillis(), finished.exitCode(), why,
                finished.outputTail(), null, null, finished.artifacts()));
        return Optional.empty();
    }

    Optional<Refusal> onTimerFired(Step step, TimerFired timer) {
        if (step.state.status().isTerminal()) {
            return obsolete("timer " + timer.timerId() + " fired after the run ended");
        }
        if (timer.timerId().equals(RunEngine.RUN_TIMEOUT)) {
            String reason = "the run exceeded its timeout of "
                    + Durations.format(step.definition.optionsFor(step.state.parameters()).timeout());
            if (step.state.concluded() != null) {
                ending.finishRun(step, RunStatus.CANCELLED, reason);
            } else {
                ending.conclude(step, RunStatus.CANCELLED, reason, false);
            }
            return Optional.empty();
        }
        Timers.Parsed parsed = Timers.parse(timer.timerId());
        if (parsed == null) {
            return obsolete("unknown timer " + timer.timerId());
        }
        StageState stage = step.state.stage(parsed.stage());
        if (stage == null || stage.attempts() != parsed.attempt() && parsed.kind() != Timers.Kind.RETRY) {
            return obsolete("timer " + timer.timerId() + " belongs to an attempt that is over");
        }
        return switch (parsed.kind()) {
            case APPROVAL -> {
                if (stage.status() != StageStatus.AWAITING_APPROVAL || stage.approval() != null) {
                    yield obsolete("approval timer " + timer.timerId() + " fired after the decision");
                }
                String why = "no approval within " + Durations.format(step.spec(stage.name()).manualApproval().timeout());
                step.move(StageChange.APPROVAL_TIMEOUT, stage.finished(StageStatus.FAILED, StageState.Result.reason(step.now, why)));
                step.event("STAGE_REJECTED", stage.name(), null, why);
                yield Optional.empty();
            }
            case RETRY -> stage.status() == StageStatus.RETRY_WAIT && stage.attempts() + 1 == parsed.attempt()
                    ? Optional.empty() : obsolete("retry timer " + timer.timerId() + " is no longer wanted");
            case START -> {
                if (stage.status() != StageStatus.DISPATCHED) {
                    yield obsolete("start timer " + timer.timerId() + " fired after the attempt "
                            + (stage.status().isInFlight() ? "started" : "ended"));
                }
                StageSpec spec = step.spec(stage.name());
                String why = "no worker of pool \"" + spec.pool() + "\" started stage \"" + stage.name() + "\" within "
                        + Durations.format(dispatcher.startTimeoutOf(spec)) + "; the attempt was lost";
                // A worker that claims the command late must not run it next to the retry.
                step.effect(new Effect.CancelStage(stage.name(), stage.attempts(), stage.attemptId(), spec.pool()));
                attemptFailed(step, stage, StageState.Result.reason(step.now, why));
                yield Optional.empty();
            }
            case WATCH, DEADLINE, HEARTBEAT -> {
                if (stage.status() != StageStatus.RUNNING) {
                    yield obsolete("timer " + timer.timerId() + " fired for an attempt that is not running");
                }
                StageState.Attempt attempt = stage.attempt();
                boolean outlived = !step.now.isBefore(attempt.resultBy());
                if (!outlived && step.now.isBefore(attempt.heartbeatBy())) {
                    // A timer of a state written before one timer watched an attempt, or one a heartbeat moved.
                    yield obsolete("timer " + timer.timerId() + " fired while attempt " + attempt.id() + " is heard from and within its timeout");
                }
                String why = outlived
                        ? "no result within the stage timeout plus " + Durations.format(EngineEvent.DEADLINE_GRACE) + "; the attempt was lost"
                        : "worker " + stage.worker() + " stopped sending heartbeats; the attempt was lost";
                step.effect(new Effect.CancelStage(stage.name(), stage.attempts(), stage.attemptId(), step.spec(stage.name()).pool()));
                step.cancelAttemptTimers(stage);
                attemptFailed(step, stage, StageState.Result.reason(step.now, why));
                yield Optional.empty();
            }
        };
    }

    /**
     * The attempt failed: another one after the back-off if the policy allows, else the stage fails.
     *
     * @param result what the attempt left; the artifacts of a failed one are wanted most (a failed test run's reports)
     */
    private void attemptFailed(Step step, StageState stage, StageState.Result result) {
        StageSpec spec = step.spec(stage.name());
        RetryPolicy policy = step.definition.retryPolicyOf(spec);
        String why = result.error();
        if (spec.onFailure() != OnFailure.ABORT && policy.allowsAnotherAttemptAfter(stage.attemptsThisRound())) {
            Instant retryAt = step.now.plus(policy.delayAfter(stage.attemptsThisRound(), Timers.jitterUnit(stage.attemptId())));
            step.move(StageChange.WAIT_FOR_RETRY, stage.waitingForRetry(retryAt, result));
            step.effect(new Effect.ScheduleTimer(Timers.retry(stage.name(), stage.attempts() + 1), retryAt));
            step.event("STAGE_RETRYING", stage.name(), stage.attempts(), "attempt " + stage.attemptsThisRound() + " of "
                    + policy.maxAttempts() + " failed (" + why + "); next attempt at " + retryAt);
            if (spec.onFailure() == OnFailure.ROLLBACK_AND_RETRY) {
                String rollback = PipelineDefinition.rollbackStepOf(stage.name());
                Ending.queueAgain(step, rollback);
                dispatcher.dispatch(step, step.state.stage(rollback));
            }
            return;
        }
        step.move(StageChange.FAIL, stage.finished(StageStatus.FAILED, result));
        step.event("STAGE_FAILED", stage.name(), stage.attempts(), why);
    }

    private static Optional<Refusal> obsolete(String message) {
        return RunEngine.refused(Refusal.Kind.TIMER_OBSOLETE, message);
    }

    /** Why a message about {@code attemptId} must not change the stage, or empty when it is the current attempt. */
    private static Optional<Refusal> staleness(RunState state, StageState stage, String stageName, String attemptId) {
        if (stage == null) {
            return RunEngine.refused(Refusal.Kind.NO_SUCH_STAGE, "run " + state.runId() + " has no stage \"" + stageName + "\"");
        }
        if (stage.attemptId() == null || !stage.attemptId().equals(attemptId)) {
            return RunEngine.refused(Refusal.Kind.STALE_ATTEMPT, "attempt " + attemptId + " is stale: stage \"" + stageName
                    + "\" waits for " + (stage.attemptId() == null ? "no attempt" : "attempt " + stage.attemptId()));
        }
        return Optional.empty();
    }

    private static String millis(Long durationMillis) {
        return durationMillis == null ? "an unknown time" : durationMillis + " ms";
    }
}
