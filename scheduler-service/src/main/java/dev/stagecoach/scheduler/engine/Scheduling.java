package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.Gate;
import dev.stagecoach.pipeline.NotificationEvent;
import dev.stagecoach.pipeline.OnFailure;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.StageSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What may start now: stages whose needs are met, within the run's slots, or waiting for approval. */
final class Scheduling {

    private final Dispatcher dispatcher;
    private final Ending ending;

    Scheduling(Dispatcher dispatcher, Ending ending) {
        this.dispatcher = dispatcher;
        this.ending = ending;
    }

    /** Dispatches what may run now, and concludes the run when nothing more can happen. */
    void advance(Step step) {
        if (step.state.status().isTerminal()) {
            return;
        }
        if (step.state.concluded() == null) {
            advanceMainStages(step);
        }
        if (step.state.concluded() != null) {
            ending.advanceFinallyStages(step);
        }
    }

    private void advanceMainStages(Step step) {
        for (StageState stage : step.mainStages()) {
            StageState rollback = step.state.stage(PipelineDefinition.rollbackStepOf(stage.name()));
            if (stage.status() == StageStatus.RETRY_WAIT && rollback != null && rollback.status() == StageStatus.FAILED) {
                step.effect(new Effect.CancelTimer(Timers.retry(stage.name(), stage.attempts() + 1), stage.retryAt()));
                step.move(StageChange.FAIL, stage.ended(StageStatus.FAILED, step.now, stage.error() + "; its rollback failed, so it is not retried"));
                step.event("STAGE_FAILED", stage.name(), stage.attempts(), "its rollback failed before the retry");
            }
        }
        List<StageState> main = step.mainStages();
        for (StageState stage : main) {
            StageSpec spec = step.spec(stage.name());
            if (stage.status() == StageStatus.FAILED && (spec.critical() || spec.onFailure() == OnFailure.ABORT)) {
                String reason = (spec.onFailure() == OnFailure.ABORT ? "stage \"" + stage.name() + "\" failed and aborted the run: "
                        : "critical stage \"" + stage.name() + "\" failed: ") + stage.error();
                ending.conclude(step, RunStatus.FAILED, reason, spec.onFailure() == OnFailure.ROLLBACK_RUN);
                return;
            }
        }
        Map<String, List<String>> needs = step.pipeline.needs();
        long inFlight = main.stream().filter(s -> s.status().isInFlight()).count();
        int slots = step.definition.optionsFor(step.state.parameters()).parallelWorkers();
        for (StageState stage : main) {
            boolean ready = stage.status() == StageStatus.PENDING
                    && needs.get(stage.name()).stream().allMatch(n -> satisfies(step, step.state.stage(n)));
            String condition = step.spec(stage.name()).when();
            if (ready && condition != null && !Conditions.holds(condition, step.state, step.pipeline.declared)) {
                String why = "skipped: its condition is false: " + condition;
                step.move(StageChange.SKIP, stage.ended(StageStatus.SKIPPED, step.now, why));
                step.event("STAGE_SKIPPED", stage.name(), null, why);
                continue;
            }
            if (ready && step.spec(stage.name()).manualApproval() != null) {
                awaitApproval(step, stage);
                continue;
            }
            boolean approved = stage.status() == StageStatus.AWAITING_APPROVAL && stage.approval() != null;
            StageState rollback = step.state.stage(PipelineDefinition.rollbackStepOf(stage.name()));
            boolean rolledBack = rollback == null || step.spec(stage.name()).onFailure() != OnFailure.ROLLBACK_AND_RETRY
                    || rollback.status() == StageStatus.SUCCEEDED;
            boolean retryDue = stage.status() == StageStatus.RETRY_WAIT && !stage.retryAt().isAfter(step.now) && rolledBack;
            if ((ready || approved || retryDue) && inFlight < slots) {
                dispatcher.dispatch(step, stage);
                inFlight++;
            }
        }
        if (step.mainStages().stream().allMatch(s -> s.status().isTerminal())) {
            List<String> warnings = new ArrayList<>();
            List<String> failed = step.mainStages().stream()
                    .filter(s -> s.status() == StageStatus.FAILED).map(StageState::name).toList();
            if (!failed.isEmpty()) {
                warnings.add("non-critical stages failed: " + String.join(", ", failed));
            }
            for (StageState stage : step.mainStages()) {
                Gate.checkAll(step.spec(stage.name()).gates(), stage.metrics()).stream()
                        .filter(r -> !r.passed() && r.gate().severity() == Gate.Severity.WARN && stage.status() == StageStatus.SUCCEEDED)
                        .forEach(r -> warnings.add(stage.name() + ": " + r.message()));
            }
            ending.conclude(step, RunStatus.SUCCEEDED, warnings.isEmpty() ? "all stages succeeded"
                    : "succeeded with warnings: " + String.join("; ", warnings), false);
        }
    }

    /**
     * A need is met by a success, a failure of a non-critical stage, or a skip: a stage whose
     * condition was false counts as done, and a dependant that wants its success says so in
     * its own {@code when}.
     */
    private static boolean satisfies(Step step, StageState need) {
        // While the main stages run, a stage is only ever SKIPPED by its condition.
        return need.status() == StageStatus.SUCCEEDED || need.status() == StageStatus.SKIPPED
                || need.status() == StageStatus.FAILED && !step.spec(need.name()).critical();
    }

    private void awaitApproval(Step step, StageState stage) {
        Duration timeout = step.spec(stage.name()).manualApproval().timeout();
        Instant timeoutAt = timeout == null ? null : step.now.plus(timeout);
        StageState waiting = stage.awaitingApproval(step.now, timeoutAt);
        step.move(StageChange.AWAIT_APPROVAL, waiting);
        if (timeoutAt != null) {
            step.effect(new Effect.ScheduleTimer(Timers.approval(waiting), timeoutAt));
        }
        step.event("STAGE_AWAITING_APPROVAL", stage.name(), null,
                "waits for approval" + (timeoutAt == null ? "" : " until " + timeoutAt));
        var targets = step.definition.notificationsFor(NotificationEvent.ON_APPROVAL);
        for (int i = 0; i < targets.size(); i++) {
            step.effect(NotificationTexts.approvalNeeded(step.state, waiting, targets.get(i), i,
                    step.spec(stage.name()).manualApproval().approvers()));
        }
    }
}
