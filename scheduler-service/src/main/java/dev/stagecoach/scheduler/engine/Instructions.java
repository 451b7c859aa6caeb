package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.ManualApproval;
import dev.stagecoach.scheduler.engine.EngineEvent.Cancel;
import dev.stagecoach.scheduler.engine.EngineEvent.Resume;
import java.time.Instant;
import java.util.Optional;

/** What a person tells a run: cancel it, approve or reject a stage, resume it. */
final class Instructions {

    private final EngineSettings settings;
    private final Ending ending;

    Instructions(EngineSettings settings, Ending ending) {
        this.settings = settings;
        this.ending = ending;
    }

    Optional<Refusal> onCancel(Step step, Cancel cancel) {
        String reason = "cancelled by " + Step.who(cancel.by()) + (cancel.comment() == null ? "" : ": " + cancel.comment());
        if (step.state.concluded() != null) {
            // A second cancel while the finally stages run stops those too.
            ending.finishRun(step, RunStatus.CANCELLED, reason);
        } else {
            ending.conclude(step, RunStatus.CANCELLED, reason, false);
        }
        return Optional.empty();
    }

    Optional<Refusal> onDecision(Step step, String stageName, Approval decision) {
        StageState stage = step.state.stage(stageName);
        if (stage == null) {
            return RunEngine.refused(Refusal.Kind.NO_SUCH_STAGE, "run " + step.state.runId() + " has no stage \"" + stageName + "\"");
        }
        if (stage.status() != StageStatus.AWAITING_APPROVAL || stage.approval() != null) {
            return RunEngine.refused(Refusal.Kind.NOT_APPLICABLE, "stage \"" + stageName + "\" does not wait for approval; it is "
                    + stage.status());
        }
        ManualApproval rule = step.spec(stageName).manualApproval();
        if (rule != null && !rule.allows(decision.by())) {
            return RunEngine.refused(Refusal.Kind.NOT_ALLOWED, Step.who(decision.by()) + " may not decide about stage \""
                    + stageName + "\"; its approvers are " + String.join(", ", rule.approvers()));
        }
        if (stage.approvalState().hasTimer()) {
            step.effect(new Effect.CancelTimer(Timers.approval(stage), stage.approvalState().timesOutAt()));
        }
        String comment = decision.comment() == null || decision.comment().isBlank() ? "" : ": " + decision.comment();
        if (decision.approved()) {
            step.move(StageChange.APPROVE, stage.decided(decision));
            step.event("STAGE_APPROVED", stageName, null, "approved by " + Step.who(decision.by()) + comment);
        } else {
            String why = "rejected by " + Step.who(decision.by()) + comment;
            step.move(StageChange.REJECT, stage.decided(decision).finished(StageStatus.FAILED,
                    StageState.Result.reason(step.now, why)));
            step.event("STAGE_REJECTED", stageName, null, why);
        }
        return Optional.empty();
    }

    Optional<Refusal> onResume(Step step, Resume resume) {
        RunState run = step.state;
        if (!run.status().isResumable()) {
            return RunEngine.refused(Refusal.Kind.NOT_APPLICABLE, "run " + run.runId() + " is " + run.status()
                    + "; only a FAILED or CANCELLED run can be resumed");
        }
        if (run.stages().isEmpty() || step.definition == null) {
            return RunEngine.refused(Refusal.Kind.NO_REVISION, "run " + run.runId() + " never started a stage ("
                    + run.reason() + "); start a new run instead");
        }
        Instant deadline = step.now.plus(step.definition.optionsFor(run.parameters()).timeout());
        step.effect(new Effect.CancelTimer(RunEngine.RETENTION, run.finishedAt().plus(settings.retention())));
        step.resumeRun(deadline);
        for (StageState stage : run.stageList()) {
            if (stage.status().rerunsOnResume() && !Step.isRollbackStep(stage.name())) {
                step.move(StageChange.REOPEN, stage.again());
            }
        }
        step.effect(new Effect.ScheduleTimer(RunEngine.RUN_TIMEOUT, deadline));
        step.event("RUN_RESUMED", null, null, "resumed by " + Step.who(resume.by()) + "; succeeded stages are kept");
        return Optional.empty();
    }
}
