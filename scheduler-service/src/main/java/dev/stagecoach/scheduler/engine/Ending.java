package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.NotificationEvent;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.scheduler.engine.EngineEvent.RunCreated;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a run ends: the outcome is concluded, rollback steps and finally stages run, then the
 * run finishes, is kept for the retention and forgotten. Also the end of a run the engine
 * could not handle an event of.
 */
final class Ending {

    private final EngineSettings settings;
    private final Dispatcher dispatcher;

    Ending(EngineSettings settings, Dispatcher dispatcher) {
        this.settings = settings;
        this.dispatcher = dispatcher;
    }

    /**
     * When applying {@code event} threw {@code problem} (a pipeline revision that no longer loads,
     * a state this engine cannot read): the event ends with a run event that says why, and a run
     * still going fails with that reason rather than wait for a state change that never comes.
     * Stages in flight are not cancelled on their workers, since the pipeline that names their
     * pools may be what failed; their results arrive after the run ended and change nothing.
     */
    Decision failed(RunState state, EngineEvent event, Instant now, String problem) {
        String why = "the engine could not apply " + event.getClass().getSimpleName() + ": " + problem;
        if (state == null) {
            return event instanceof RunCreated created
                    ? refused(created, created.revision(), null, created.parameters(), problem, now)
                    : Decision.refused(null, Refusal.Kind.NO_SUCH_RUN, why);
        }
        // No pipeline revision: it may be what failed, and nothing below needs it.
        Step step = new Step(state, now, null);
        step.event("EVENT_FAILED", null, null, why);
        if (state.status().isTerminal()) {
            return step.decision();
        }
        for (StageState stage : state.stageList()) {
            if (stage.status().isInFlight() || stage.status() == StageStatus.RETRY_WAIT) {
                step.move(StageChange.CANCEL, stage.ended(StageStatus.CANCELLED, now, "the run failed while it ran: " + why));
            } else if (stage.status() == StageStatus.PENDING || stage.status() == StageStatus.AWAITING_APPROVAL) {
                step.move(StageChange.SKIP, stage.ended(StageStatus.SKIPPED, now, "not run: the run failed: " + why));
            }
        }
        step.effect(new Effect.CancelTimer(RunEngine.RUN_TIMEOUT, state.deadline()));
        step.endRun(RunStatus.FAILED, why);
        step.event("RUN_FAILED", null, null, why);
        step.effect(new Effect.ScheduleTimer(RunEngine.RETENTION, now.plus(settings.retention())));
        step.effect(new Effect.FinishRun(RunStatus.FAILED));
        return step.decision();
    }

    /** A run that fails at admission: it has no stages, and is kept for the retention like any other. */
    Decision refused(RunCreated created, int revision, String yaml, Map<String, String> parameters, String reason, Instant now) {
        RunState rejected = new RunState(created.runId(), created.pipeline(), revision, yaml, parameters,
                created.requestedBy(), created.trigger(), RunStatus.FAILED, Map.of(), now, now, now, reason, null);
        return new Decision(rejected, List.of(
                new Effect.EmitRunEvent("RUN_FAILED", null, null, reason),
                new Effect.ScheduleTimer(RunEngine.RETENTION, now.plus(settings.retention())),
                new Effect.FinishRun(RunStatus.FAILED)), List.of(), Optional.empty());
    }

    /** The retention of a finished run is over: it is forgotten, unless it was resumed since. */
    Decision onRetentionOver(RunState state, Instant now) {
        if (!state.status().isTerminal()) {
            return Decision.refused(state, Refusal.Kind.TIMER_OBSOLETE, "run " + state.runId() + " was resumed and runs; it is kept");
        }
        Instant forgetAt = state.finishedAt().plus(settings.retention());
        if (now.isBefore(forgetAt)) {
            return Decision.refused(state, Refusal.Kind.TIMER_OBSOLETE, "run " + state.runId() + " ended again since; it is kept until " + forgetAt);
        }
        return new Decision(state, List.of(new Effect.ForgetRun()), List.of(), Optional.empty());
    }

    /**
     * The main stages are over (or must stop): decide the outcome. With finally stages it waits
     * for them; without, the run ends now.
     */
    void conclude(Step step, RunStatus status, String reason, boolean rollBack) {
        stopStages(step, step.mainStages(), status);
        List<String> rollbacks = new ArrayList<>();
        if (rollBack) {
            List<StageState> newestDeclaredFirst = new ArrayList<>(step.mainStages());
            Collections.reverse(newestDeclaredFirst);
            // Newest finished first; stages that finished at the same instant, last declared first.
            newestDeclaredFirst.stream()
                    .filter(s -> s.status() == StageStatus.SUCCEEDED && step.spec(s.name()).rollback() != null)
                    .sorted(Comparator.comparing(StageState::finishedAt).reversed())
                    .forEach(s -> {
                        queueAgain(step, PipelineDefinition.rollbackStepOf(s.name()));
                        rollbacks.add(s.name());
                    });
        }
        if (rollbacks.isEmpty() && step.definition.finallyStages().isEmpty()) {
            finishRun(step, status, reason);
            return;
        }
        step.state = step.state.concluding(new RunState.Conclusion(status, reason));
        if (!rollbacks.isEmpty()) {
            step.event("RUN_ROLLING_BACK", null, null, "rolling back " + String.join(", ", rollbacks) + ", newest first");
        }
        if (!step.definition.finallyStages().isEmpty()) {
            step.event("RUN_FINALIZING", null, null, status + " (" + reason + "); running the finally stages");
        }
        advanceFinallyStages(step);
    }

    /**
     * After the outcome is known: rollback steps (newest stage first), then the finally stages,
     * one at a time; then the concluded outcome becomes the run's.
     */
    void advanceFinallyStages(Step step) {
        for (StageState stage : step.tailSteps()) {
            if (stage.status().isInFlight() || stage.status() == StageStatus.RETRY_WAIT && stage.retryAt().isAfter(step.now)) {
                return;
            }
            String condition = stage.status() == StageStatus.PENDING ? step.spec(stage.name()).when() : null;
            if (condition != null && !Conditions.holds(condition, step.state, step.pipeline.declared)) {
                String why = "skipped: its condition is false: " + condition;
                step.move(StageChange.SKIP, stage.ended(StageStatus.SKIPPED, step.now, why));
                step.event("STAGE_SKIPPED", stage.name(), null, why);
                continue;
            }
            if (stage.status() == StageStatus.PENDING || stage.status() == StageStatus.RETRY_WAIT) {
                dispatcher.dispatch(step, stage);
                return;
            }
        }
        RunState.Conclusion outcome = step.state.concluded();
        List<String> failedRollbacks = step.rollbackSteps().stream()
                .filter(s -> s.status() == StageStatus.FAILED || s.status() == StageStatus.CANCELLED).map(StageState::name).toList();
        if (!failedRollbacks.isEmpty()) {
            outcome = new RunState.Conclusion(outcome.status(), outcome.reason() + "; rollback did not complete: "
                    + String.join(", ", failedRollbacks));
        }
        List<String> failed = step.finallyStages().stream()
                .filter(s -> s.status() == StageStatus.FAILED && step.spec(s.name()).critical()).map(StageState::name).toList();
        if (outcome.status() == RunStatus.SUCCEEDED && !failed.isEmpty()) {
            finishRun(step, RunStatus.FAILED, "finally stage \"" + failed.get(0) + "\" failed: " + step.state.stage(failed.get(0)).error());
        } else {
            finishRun(step, outcome.status(), outcome.reason());
        }
    }

    void finishRun(Step step, RunStatus status, String reason) {
        stopStages(step, step.state.stageList(), status);
        step.effect(new Effect.CancelTimer(RunEngine.RUN_TIMEOUT, step.state.deadline()));
        step.effect(new Effect.ScheduleTimer(RunEngine.RETENTION, step.now.plus(settings.retention())));
        step.endRun(status, reason);
        step.event("RUN_" + status.name(), null, null, reason);
        step.notify(status == RunStatus.SUCCEEDED ? NotificationEvent.ON_SUCCESS : NotificationEvent.ON_FAILURE);
        step.effect(new Effect.FinishRun(status));
    }

    /** Cancels what is in flight or waiting among {@code stages}, and marks what never started as skipped. */
    private void stopStages(Step step, List<StageState> stages, RunStatus because) {
        for (StageState listed : stages) {
            StageState stage = step.state.stage(listed.name());
            if (stage.status().isInFlight()) {
                step.effect(new Effect.CancelStage(stage.name(), stage.attempts(), stage.attemptId(), step.spec(stage.name()).pool()));
                step.cancelAttemptTimers(stage);
                step.move(StageChange.CANCEL, stage.ended(StageStatus.CANCELLED, step.now, "the run ended " + because + " while it ran"));
            } else if (stage.status() == StageStatus.RETRY_WAIT) {
                step.effect(new Effect.CancelTimer(Timers.retry(stage.name(), stage.attempts() + 1), stage.retryAt()));
                step.move(StageChange.CANCEL, stage.ended(StageStatus.CANCELLED, step.now, stage.error()));
            } else if (stage.status() == StageStatus.AWAITING_APPROVAL) {
                if (stage.approvalState().hasTimer()) {
                    step.effect(new Effect.CancelTimer(Timers.approval(stage), stage.approvalState().timesOutAt()));
                }
                step.move(StageChange.SKIP, stage.ended(StageStatus.SKIPPED, step.now,
                        "not run: the run ended " + because + " while it waited for approval"));
            } else if (stage.status() == StageStatus.PENDING) {
                step.move(StageChange.SKIP, stage.ended(StageStatus.SKIPPED, step.now, "not run: the run ended " + because));
            }
        }
    }

    /** Queues a rollback step: pending for the first time, or again after it ran before. */
    static void queueAgain(Step step, String rollbackStep) {
        StageState previous = step.state.stage(rollbackStep);
        if (previous == null) {
            step.put(StageState.pending(rollbackStep));
        } else {
            step.move(StageChange.RUN_AGAIN, previous.again());
        }
    }
}
