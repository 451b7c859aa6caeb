package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.scheduler.engine.EngineEvent.Approve;
import dev.stagecoach.scheduler.engine.EngineEvent.Cancel;
import dev.stagecoach.scheduler.engine.EngineEvent.Reject;
import dev.stagecoach.scheduler.engine.EngineEvent.Resume;
import dev.stagecoach.scheduler.engine.EngineEvent.RunCreated;
import dev.stagecoach.scheduler.engine.EngineEvent.StageFinished;
import dev.stagecoach.scheduler.engine.EngineEvent.StageHeartbeat;
import dev.stagecoach.scheduler.engine.EngineEvent.StageStarted;
import dev.stagecoach.scheduler.engine.EngineEvent.TimerFired;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The run engine: one pure function from (state, event, now, definition) to a decision.
 * No I/O, no clock, no randomness: the same inputs always give the same state and effects,
 * which is what lets the topology replay it under exactly-once. It dispatches each event to
 * the part of the rules it belongs to: {@link Admission} (a run comes in), {@link AttemptLifecycle}
 * (attempts start, beat, finish, get lost), {@link Instructions} (what a person tells a run),
 * {@link Scheduling} (what may start now) and {@link Ending} (conclude, roll back, finally, forget).
 */
public final class RunEngine {

    static final String RUN_TIMEOUT = "run-timeout";
    /** Fires once a finished run has been kept for the retention; it is then forgotten. */
    static final String RETENTION = "retention";

    // Keyed by identity: the caller keeps one definition object per pipeline revision, and a
    // record's own hashCode would walk every stage on each lookup.
    private final Map<PipelineDefinition, ExpandedPipeline> expanded = new IdentityHashMap<>();
    private final Admission admission;
    private final AttemptLifecycle attempts;
    private final Instructions instructions;
    private final Scheduling scheduling;
    private final Ending ending;

    public RunEngine() {
        this(SecretSource.NONE);
    }

    public RunEngine(SecretSource secrets) {
        this(secrets, EngineSettings.DEFAULTS);
    }

    public RunEngine(SecretSource secrets, EngineSettings settings) {
        Dispatcher dispatcher = new Dispatcher(secrets, settings);
        this.ending = new Ending(settings, dispatcher);
        this.scheduling = new Scheduling(dispatcher, ending);
        this.admission = new Admission(ending, scheduling);
        this.attempts = new AttemptLifecycle(dispatcher, ending);
        this.instructions = new Instructions(settings, ending);
    }

    /**
     * @param declared the run's pipeline revision as declared (the engine expands fan-out itself), or
     *     null when none is registered (a run created for it is refused)
     */
    public Decision decide(RunState state, EngineEvent event, Instant now, PipelineDefinition declared) {
        // Shards are scheduled like stages; a definition without fan-out comes back as it is.
        ExpandedPipeline pipeline = declared == null ? null : expand(declared);
        if (event instanceof RunCreated created) {
            return admission.onRunCreated(state, created, now, pipeline);
        }
        if (state == null) {
            return Decision.ignored(null, "no run exists for this " + event.getClass().getSimpleName()
                    + "; it may belong to a run that was never admitted");
        }
        if (event instanceof TimerFired timer && timer.timerId().equals(RETENTION)) {
            return ending.onRetentionOver(state, now);
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
        scheduling.advance(step);
        return step.decision();
    }

    /**
     * When applying {@code event} threw {@code problem} (a pipeline revision that no longer loads,
     * a state this engine cannot read): the event ends with a run event that says why, and a run
     * still going fails with that reason rather than wait for a state change that never comes.
     */
    public Decision failed(RunState state, EngineEvent event, Instant now, String problem) {
        return ending.failed(state, event, now, problem);
    }

    /** @return why the event changes nothing, or null when it changed the step */
    private String handle(Step step, EngineEvent event) {
        if (event instanceof StageStarted started) {
            return attempts.onStageStarted(step, started);
        }
        if (event instanceof StageHeartbeat heartbeat) {
            return attempts.onHeartbeat(step, heartbeat);
        }
        if (event instanceof StageFinished finished) {
            return attempts.onStageFinished(step, finished);
        }
        if (event instanceof TimerFired timer) {
            return attempts.onTimerFired(step, timer);
        }
        if (event instanceof Cancel cancel) {
            return instructions.onCancel(step, cancel);
        }
        if (event instanceof Approve approve) {
            return instructions.onDecision(step, approve.stage(), new Approval(true, approve.by(), step.now, approve.comment()));
        }
        if (event instanceof Reject reject) {
            return instructions.onDecision(step, reject.stage(), new Approval(false, reject.by(), step.now, reject.comment()));
        }
        if (event instanceof Resume resume) {
            return instructions.onResume(step, resume);
        }
        throw new IllegalArgumentException("the engine has no rule for " + event.getClass().getName());
    }

    private synchronized ExpandedPipeline expand(PipelineDefinition declared) {
        if (expanded.size() > 64) {
            expanded.clear(); // revisions come and go; a handful are in use at any time
        }
        return expanded.computeIfAbsent(declared, ExpandedPipeline::of);
    }
}
