package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.Durations;
import dev.stagecoach.pipeline.Gate;
import dev.stagecoach.pipeline.InvalidParametersException;
import dev.stagecoach.pipeline.ManualApproval;
import dev.stagecoach.pipeline.NotificationEvent;
import dev.stagecoach.pipeline.OnFailure;
import dev.stagecoach.pipeline.ParameterBinder;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.RetryPolicy;
import dev.stagecoach.pipeline.StageSpec;
import dev.stagecoach.scheduler.engine.EngineEvent.Approve;
import dev.stagecoach.scheduler.engine.EngineEvent.Cancel;
import dev.stagecoach.scheduler.engine.EngineEvent.Outcome;
import dev.stagecoach.scheduler.engine.EngineEvent.Reject;
import dev.stagecoach.scheduler.engine.EngineEvent.Resume;
import dev.stagecoach.scheduler.engine.EngineEvent.RunCreated;
import dev.stagecoach.scheduler.engine.EngineEvent.StageFinished;
import dev.stagecoach.scheduler.engine.EngineEvent.StageHeartbeat;
import dev.stagecoach.scheduler.engine.EngineEvent.StageStarted;
import dev.stagecoach.scheduler.engine.EngineEvent.TimerFired;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run engine: one pure function from (state, event, now, definition) to a decision.
 * No I/O, no clock, no randomness: the same inputs always give the same state and effects,
 * which is what lets the topology replay it under exactly-once.
 */
public final class RunEngine {

    static final String RUN_TIMEOUT = "run-timeout";
    /** Fires once a finished run has been kept for the retention; it is then forgotten. */
    static final String RETENTION = "retention";

    // Keyed by identity: the caller keeps one definition object per pipeline revision, and a
    // record's own hashCode would walk every stage on each lookup.
    private final Map<PipelineDefinition, ExpandedPipeline> expanded = new IdentityHashMap<>();
    private final SecretSource secrets;
    private final EngineSettings settings;

    public RunEngine() {
        this(SecretSource.NONE);
    }

    public RunEngine(SecretSource secrets) {
        this(secrets, EngineSettings.DEFAULTS);
    }

    public RunEngine(SecretSource secrets, EngineSettings settings) {
        this.secrets = secrets;
        this.settings = settings;
    }

    public Decision decide(RunState state, EngineEvent event, Instant now, PipelineDefinition declared) {
        // Shards are scheduled like stages; a definition without fan-out comes back as it is.
        ExpandedPipeline pipeline = declared == null ? null : expand(declared);
        PipelineDefinition definition = pipeline == null ? null : pipeline.definition;
        if (event instanceof RunCreated created) {
            return onRunCreated(state, created, now, pipeline);
        }
        if (state == null) {
            return Decision.ignored(null, "no run exists for this " + event.getClass().getSimpleName()
                    + "; it may belong to a run that was never admitted");
        }
        if (event instanceof TimerFired timer && timer.timerId().equals(RETENTION)) {
            return onRetentionOver(state, now);
        }
        if (state.status().isTerminal() && !(event instanceof TimerFired) && !(event instanceof Resume)) {
            return Decision.ignored(state, "run " + state.runId() + " already ended " + state.status());
        }
        if (pipeline == null) {
            // Only a run refused at admission has no pipeline revision: it never had stages to run.
            return Decision.ignored(state, "run " + state.runId() + " has no pipeline revision to run (" + state.reason()
                    + "); start a new run instead");
        }
        Step step = new Step(state, now, pipeline);
        String ignored = handle(step, event);
        if (ignored != null) {
            return Decision.ignored(state, ignored);
        }
        advance(step);
        return step.decision();
    }

    private String handle(Step step, EngineEvent event) {
        if (event instanceof StageStarted started) {
            return onStageStarted(step, started);
        }
        if (event instanceof StageHeartbeat heartbeat) {
            return onHeartbeat(step, heartbeat);
        }
        if (event instanceof StageFinished finished) {
            return onStageFinished(step, finished);
        }
        if (event instanceof Cancel cancel) {
            return onCancel(step, cancel);
        }
        if (event instanceof Approve approve) {
            return onDecision(step, approve.stage(), new Approval(true, approve.by(), step.now, approve.comment()));
        }
        if (event instanceof Reject reject) {
            return onDecision(step, reject.stage(), new Approval(false, reject.by(), step.now, reject.comment()));
        }
        if (event instanceof Resume resume) {
            return onResume(step, resume);
        }
        return onTimerFired(step, (TimerFired) event);
    }

    /**
     * When applying {@code event} threw {@code problem} (a pipeline revision that no longer loads,
     * a state this engine cannot read): the event ends with a run event that says why, and a run
     * still going fails with that reason rather than wait for a state change that never comes.
     * Stages in flight are not cancelled on their workers, since the pipeline that names their
     * pools may be what failed; their results arrive after the run ended and change nothing.
     */
    public Decision failed(RunState state, EngineEvent event, Instant now, String problem) {
        String why = "the engine could not apply " + event.getClass().getSimpleName() + ": " + problem;
        if (state == null) {
            return event instanceof RunCreated created
                    ? refused(created, created.revision(), null, created.parameters(), problem, now)
                    : Decision.ignored(null, why);
        }
        Effect said = new Effect.EmitRunEvent("EVENT_FAILED", null, null, why);
        if (state.status().isTerminal()) {
            return new Decision(state, List.of(said), null);
        }
        RunState next = state;
        for (StageState stage : state.stageList()) {
            if (stage.status().isInFlight() || stage.status() == StageStatus.RETRY_WAIT) {
                next = next.withStage(stage.ended(StageStatus.CANCELLED, now, "the run failed while it ran: " + why));
            } else if (stage.status() == StageStatus.PENDING || stage.status() == StageStatus.AWAITING_APPROVAL) {
                next = next.withStage(stage.ended(StageStatus.SKIPPED, now, "not run: the run failed: " + why));
            }
        }
        next = next.ended(RunStatus.FAILED, now, why);
        return new Decision(next, List.of(said,
                new Effect.CancelTimer(RUN_TIMEOUT, state.deadline()),
                new Effect.EmitRunEvent("RUN_FAILED", null, null, why),
                new Effect.ScheduleTimer(RETENTION, now.plus(settings.retention())),
                new Effect.FinishRun(RunStatus.FAILED)), null);
    }

    private Decision onRunCreated(RunState existing, RunCreated created, Instant now, ExpandedPipeline pipeline) {
        if (existing != null) {
            return Decision.ignored(existing, "run " + created.runId() + " already exists; a duplicate request changes nothing");
        }
        if (pipeline == null) {
            return refused(created, 0, null, created.parameters(),
                    "no pipeline named \"" + created.pipeline() + "\" is registered", now);
        }
        PipelineDefinition definition = pipeline.definition;
        Map<String, String> parameters;
        try {
            parameters = ParameterBinder.bind(definition, created.parameters());
        } catch (InvalidParametersException e) {
            return refused(created, created.revision(), created.pipelineYaml(), ParameterBinder.masked(definition, created.parameters()),
                    "invalid parameters: " + String.join("; ", e.problems()), now);
        }
        Map<String, StageState> stages = new LinkedHashMap<>();
        definition.stages().forEach(s -> stages.put(s.name(), StageState.pending(s.name())));
        definition.finallyStages().forEach(s -> stages.put(s.name(), StageState.pending(s.name())));
        Instant deadline = now.plus(definition.optionsFor(parameters).timeout());
        RunState state = new RunState(created.runId(), definition.name(), created.revision(), created.pipelineYaml(),
                parameters, created.requestedBy(), RunStatus.RUNNING, stages, now, deadline, null, null, null);
        Step step = new Step(state, now, pipeline);
        step.effect(new Effect.ScheduleTimer(RUN_TIMEOUT, deadline));
        step.event("RUN_STARTED", null, null, "started by " + displayRequester(created.requestedBy()));
        step.notify(NotificationEvent.ON_START);
        advance(step);
        return step.decision();
    }

    /** A run that fails at admission: it has no stages, and is kept for the retention like any other. */
    private Decision refused(RunCreated created, int revision, String yaml, Map<String, String> parameters, String reason, Instant now) {
        RunState rejected = new RunState(created.runId(), created.pipeline(), revision, yaml, parameters,
                created.requestedBy(), RunStatus.FAILED, Map.of(), now, now, now, reason, null);
        return new Decision(rejected, List.of(
                new Effect.EmitRunEvent("RUN_FAILED", null, null, reason),
                new Effect.ScheduleTimer(RETENTION, now.plus(settings.retention())),
                new Effect.FinishRun(RunStatus.FAILED)), null);
    }

    /** The retention of a finished run is over: it is forgotten, unless it was resumed since. */
    private Decision onRetentionOver(RunState state, Instant now) {
        if (!state.status().isTerminal()) {
            return Decision.ignored(state, "run " + state.runId() + " was resumed and runs; it is kept");
        }
        Instant forgetAt = state.finishedAt().plus(settings.retention());
        if (now.isBefore(forgetAt)) {
            return Decision.ignored(state, "run " + state.runId() + " ended again since; it is kept until " + forgetAt);
        }
        return new Decision(state, List.of(new Effect.ForgetRun()), null);
    }

    private String onStageStarted(Step step, StageStarted started) {
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

    private String onHeartbeat(Step step, StageHeartbeat heartbeat) {
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

    private String onStageFinished(Step step, StageFinished finished) {
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

    private String onCancel(Step step, Cancel cancel) {
        String reason = "cancelled by " + displayRequester(cancel.by()) + (cancel.comment() == null ? "" : ": " + cancel.comment());
        if (step.state.concluded() != null) {
            // A second cancel while the finally stages run stops those too.
            finishRun(step, RunStatus.CANCELLED, reason);
        } else {
            conclude(step, RunStatus.CANCELLED, reason, false);
        }
        return null;
    }

    private String onDecision(Step step, String stageName, Approval decision) {
        StageState stage = step.state.stage(stageName);
        if (stage == null) {
            return "run " + step.state.runId() + " has no stage \"" + stageName + "\"";
        }
        if (stage.status() != StageStatus.AWAITING_APPROVAL || stage.approval() != null) {
            return "stage \"" + stageName + "\" does not wait for approval; it is " + stage.status();
        }
        ManualApproval rule = step.spec(stageName).manualApproval();
        if (rule != null && !rule.allows(decision.by())) {
            return displayRequester(decision.by()) + " may not decide about stage \"" + stageName + "\"; its approvers are "
                    + String.join(", ", rule.approvers());
        }
        if (stage.deadline() != null) {
            step.effect(new Effect.CancelTimer(Timers.approval(stage), stage.deadline()));
        }
        String comment = decision.comment() == null || decision.comment().isBlank() ? "" : ": " + decision.comment();
        if (decision.approved()) {
            step.put(stage.decided(decision));
            step.event("STAGE_APPROVED", stageName, null, "approved by " + displayRequester(decision.by()) + comment);
        } else {
            String why = "rejected by " + displayRequester(decision.by()) + comment;
            step.put(stage.decided(decision).finished(StageStatus.FAILED, step.now, null, null, why, List.of(), Map.of(), Map.of(), List.of()));
            step.event("STAGE_REJECTED", stageName, null, why);
        }
        return null;
    }

    private String onResume(Step step, Resume resume) {
        RunState run = step.state;
        if (!run.status().isResumable()) {
            return "run " + run.runId() + " is " + run.status() + "; only a FAILED or CANCELLED run can be resumed";
        }
        if (run.stages().isEmpty() || step.definition == null) {
            return "run " + run.runId() + " never started a stage (" + run.reason() + "); start a new run instead";
        }
        Instant deadline = step.now.plus(step.definition.optionsFor(run.parameters()).timeout());
        step.effect(new Effect.CancelTimer(RETENTION, run.finishedAt().plus(settings.retention())));
        step.state = run.resumed(deadline);
        for (StageState stage : run.stageList()) {
            if (stage.status().rerunsOnResume() && !Step.isRollbackStep(stage.name())) {
                step.put(stage.reopened());
            }
        }
        step.effect(new Effect.ScheduleTimer(RUN_TIMEOUT, deadline));
        step.event("RUN_RESUMED", null, null, "resumed by " + displayRequester(resume.by()) + "; succeeded stages are kept");
        return null;
    }

    private String onTimerFired(Step step, TimerFired timer) {
        if (step.state.status().isTerminal()) {
            return "timer " + timer.timerId() + " fired after the run ended";
        }
        if (timer.timerId().equals(RUN_TIMEOUT)) {
            String reason = "the run exceeded its timeout of "
                    + Durations.format(step.definition.optionsFor(step.state.parameters()).timeout());
            if (step.state.concluded() != null) {
                finishRun(step, RunStatus.CANCELLED, reason);
            } else {
                conclude(step, RunStatus.CANCELLED, reason, false);
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
                        + Durations.format(startTimeoutOf(spec)) + "; the attempt was lost";
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
                dispatch(step, previous == null ? StageState.pending(rollback) : previous.again());
            }
            return;
        }
        step.put(stage.finished(StageStatus.FAILED, step.now, durationMillis, exitCode, why, tail, stage.metrics(), Map.of(), artifacts));
        step.event("STAGE_FAILED", stage.name(), stage.attempts(), why);
    }

    /** Dispatches what may run now, and concludes the run when nothing more can happen. */
    private synchronized ExpandedPipeline expand(PipelineDefinition declared) {
        if (expanded.size() > 64) {
            expanded.clear(); // revisions come and go; a handful are in use at any time
        }
        return expanded.computeIfAbsent(declared, ExpandedPipeline::of);
    }

    private void advance(Step step) {
        if (step.state.status().isTerminal()) {
            return;
        }
        if (step.state.concluded() == null) {
            advanceMainStages(step);
        }
        if (step.state.concluded() != null) {
            advanceFinallyStages(step);
        }
    }

    private void advanceMainStages(Step step) {
        for (StageState stage : step.mainStages()) {
            StageState rollback = step.state.stage(PipelineDefinition.rollbackStepOf(stage.name()));
            if (stage.status() == StageStatus.RETRY_WAIT && rollback != null && rollback.status() == StageStatus.FAILED) {
                step.effect(new Effect.CancelTimer(Timers.retry(stage.name(), stage.attempts() + 1), stage.retryAt()));
                step.put(stage.ended(StageStatus.FAILED, step.now, stage.error() + "; its rollback failed, so it is not retried"));
                step.event("STAGE_FAILED", stage.name(), stage.attempts(), "its rollback failed before the retry");
            }
        }
        List<StageState> main = step.mainStages();
        for (StageState stage : main) {
            StageSpec spec = step.spec(stage.name());
            if (stage.status() == StageStatus.FAILED && (spec.critical() || spec.onFailure() == OnFailure.ABORT)) {
                String reason = (spec.onFailure() == OnFailure.ABORT ? "stage \"" + stage.name() + "\" failed and aborted the run: "
                        : "critical stage \"" + stage.name() + "\" failed: ") + stage.error();
                conclude(step, RunStatus.FAILED, reason, spec.onFailure() == OnFailure.ROLLBACK_RUN);
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
                step.put(stage.ended(StageStatus.SKIPPED, step.now, why));
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
                dispatch(step, stage);
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
            conclude(step, RunStatus.SUCCEEDED, warnings.isEmpty() ? "all stages succeeded"
                    : "succeeded with warnings: " + String.join("; ", warnings), false);
        }
    }

    /**
     * After the outcome is known: rollback steps (newest stage first), then the finally stages,
     * one at a time; then the concluded outcome becomes the run's.
     */
    private void advanceFinallyStages(Step step) {
        for (StageState stage : step.tailSteps()) {
            if (stage.status().isInFlight() || stage.status() == StageStatus.RETRY_WAIT && stage.retryAt().isAfter(step.now)) {
                return;
            }
            String condition = stage.status() == StageStatus.PENDING ? step.spec(stage.name()).when() : null;
            if (condition != null && !Conditions.holds(condition, step.state, step.pipeline.declared)) {
                String why = "skipped: its condition is false: " + condition;
                step.put(stage.ended(StageStatus.SKIPPED, step.now, why));
                step.event("STAGE_SKIPPED", stage.name(), null, why);
                continue;
            }
            if (stage.status() == StageStatus.PENDING || stage.status() == StageStatus.RETRY_WAIT) {
                dispatch(step, stage);
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
        java.time.Duration timeout = step.spec(stage.name()).manualApproval().timeout();
        Instant timeoutAt = timeout == null ? null : step.now.plus(timeout);
        StageState waiting = stage.awaitingApproval(step.now, timeoutAt);
        step.put(waiting);
        if (timeoutAt != null) {
            step.effect(new Effect.ScheduleTimer(Timers.approval(waiting), timeoutAt));
        }
        step.event("STAGE_AWAITING_APPROVAL", stage.name(), null,
                "waits for approval" + (timeoutAt == null ? "" : " until " + timeoutAt));
        var targets = step.definition.notificationsFor(NotificationEvent.ON_APPROVAL);
        for (int i = 0; i < targets.size(); i++) {
            step.effect(NotificationTexts.approvalNeeded(step.state, waiting, targets.get(i), i));
        }
    }

    private void dispatch(Step step, StageState stage) {
        if (stage.status() == StageStatus.RETRY_WAIT) {
            // Dispatched by an advance before its timer fired: the timer must not outlive the attempt.
            step.effect(new Effect.CancelTimer(Timers.retry(stage.name(), stage.attempts() + 1), stage.retryAt()));
        }
        StageSpec spec = step.spec(stage.name());
        int attempt = stage.attempts() + 1;
        String attemptId = Timers.attemptId(step.state.runId(), stage.name(), attempt);
        Instant startBy = step.now.plus(startTimeoutOf(spec));
        StageState dispatched = stage.dispatched(attempt, attemptId, step.now, startBy);
        step.put(dispatched);
        step.effect(new Effect.ScheduleTimer(Timers.start(dispatched), startBy));
        StageEnvironment environment = StageEnvironment.of(step.state, spec, attempt, step.pipeline.declared, secrets);
        List<String> masked = new ArrayList<>(ParameterBinder.secretValues(step.definition, step.state.parameters()));
        masked.addAll(environment.secretValues());
        step.effect(new Effect.DispatchStage(stage.name(), attempt, attemptId, spec.pool(), spec.kind(), spec.run(),
                environment.env(), environment.inputs(), spec.artifacts(), masked, spec.timeout()));
        step.event("STAGE_DISPATCHED", stage.name(), attempt, "to pool " + spec.pool());
    }

    /**
     * The main stages are over (or must stop): decide the outcome. With finally stages it waits
     * for them; without, the run ends now.
     */
    private void conclude(Step step, RunStatus status, String reason, boolean rollBack) {
        stopStages(step, step.mainStages(), status);
        List<String> rollbacks = new ArrayList<>();
        if (rollBack) {
            List<StageState> newestDeclaredFirst = new ArrayList<>(step.mainStages());
            java.util.Collections.reverse(newestDeclaredFirst);
            // Newest finished first; stages that finished at the same instant, last declared first.
            newestDeclaredFirst.stream()
                    .filter(s -> s.status() == StageStatus.SUCCEEDED && step.spec(s.name()).rollback() != null)
                    .sorted(java.util.Comparator.comparing(StageState::finishedAt).reversed())
                    .forEach(s -> {
                        String name = PipelineDefinition.rollbackStepOf(s.name());
                        StageState previous = step.state.stage(name);
                        step.put(previous == null ? StageState.pending(name) : previous.again());
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

    private java.time.Duration startTimeoutOf(StageSpec spec) {
        return spec.startTimeout() != null ? spec.startTimeout() : settings.startTimeout();
    }

    private void finishRun(Step step, RunStatus status, String reason) {
        stopStages(step, step.state.stageList(), status);
        step.effect(new Effect.CancelTimer(RUN_TIMEOUT, step.state.deadline()));
        step.effect(new Effect.ScheduleTimer(RETENTION, step.now.plus(settings.retention())));
        step.state = step.state.ended(status, step.now, reason);
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
                step.put(stage.ended(StageStatus.CANCELLED, step.now, "the run ended " + because + " while it ran"));
            } else if (stage.status() == StageStatus.RETRY_WAIT) {
                step.effect(new Effect.CancelTimer(Timers.retry(stage.name(), stage.attempts() + 1), stage.retryAt()));
                step.put(stage.ended(StageStatus.CANCELLED, step.now, stage.error()));
            } else if (stage.status() == StageStatus.AWAITING_APPROVAL) {
                if (stage.deadline() != null) {
                    step.effect(new Effect.CancelTimer(Timers.approval(stage), stage.deadline()));
                }
                step.put(stage.ended(StageStatus.SKIPPED, step.now, "not run: the run ended " + because + " while it waited for approval"));
            } else if (stage.status() == StageStatus.PENDING) {
                step.put(stage.ended(StageStatus.SKIPPED, step.now, "not run: the run ended " + because));
            }
        }
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

    private static String displayRequester(String by) {
        return by == null || by.isBlank() ? "an anonymous request" : by;
    }

    private static String millis(Long durationMillis) {
        return durationMillis == null ? "an unknown time" : durationMillis + " ms";
    }

    /** The state and effects of one decision while it is being made. */
    private static final class Step {
        RunState state;
        final Instant now;
        final ExpandedPipeline pipeline;
        final PipelineDefinition definition;
        final List<Effect> effects = new ArrayList<>();

        Step(RunState state, Instant now, ExpandedPipeline pipeline) {
            this.state = state;
            this.now = now;
            this.pipeline = pipeline;
            this.definition = pipeline.definition;
        }

        static boolean isRollbackStep(String name) {
            return name.startsWith(PipelineDefinition.rollbackStepOf(""));
        }

        List<StageState> mainStages() {
            return state.stageList().stream().filter(s -> !pipeline.isFinally(s.name()) && !isRollbackStep(s.name())).toList();
        }

        List<StageState> rollbackSteps() {
            return state.stageList().stream().filter(s -> isRollbackStep(s.name())).toList();
        }

        /** What runs after the outcome is known: rollback steps in the order they were queued, then finally stages. */
        List<StageState> tailSteps() {
            List<StageState> tail = new ArrayList<>(rollbackSteps());
            tail.addAll(finallyStages());
            return tail;
        }

        List<StageState> finallyStages() {
            return state.stageList().stream().filter(s -> pipeline.isFinally(s.name())).toList();
        }

        StageSpec spec(String stage) {
            return pipeline.stage(stage).orElseThrow(() -> new IllegalStateException(
                    "run " + state.runId() + " has stage \"" + stage + "\" but its pipeline revision does not"));
        }

        void put(StageState stage) {
            state = state.withStage(stage);
        }

        void effect(Effect effect) {
            effects.add(effect);
        }

        void event(String type, String stage, Integer attempt, String message) {
            effects.add(new Effect.EmitRunEvent(type, stage, attempt, message));
        }

        void notify(NotificationEvent event) {
            var targets = definition.notificationsFor(event);
            for (int i = 0; i < targets.size(); i++) {
                effects.add(NotificationTexts.notify(state, event, targets.get(i), i));
            }
        }

        void cancelAttemptTimers(StageState stage) {
            if (stage.deadline() != null) {
                String timer = stage.status() == StageStatus.DISPATCHED ? Timers.start(stage) : Timers.deadline(stage);
                effects.add(new Effect.CancelTimer(timer, stage.deadline()));
            }
            if (stage.heartbeatDeadline() != null) {
                effects.add(new Effect.CancelTimer(Timers.heartbeat(stage), stage.heartbeatDeadline()));
            }
        }

        Decision decision() {
            return new Decision(state, effects, null);
        }
    }
}
