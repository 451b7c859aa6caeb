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
import java.util.Optional;

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
        this(EngineSettings.DEFAULTS);
    }

    public RunEngine(EngineSettings settings) {
        Dispatcher dispatcher = new Dispatcher(settings);
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
        if (state == null) {
            return event instanceof RunCreated created ? admission.onRunCreated(created, now, pipeline)
                    : Decision.refused(null, Refusal.Kind.NO_SUCH_RUN, "no run exists for this " + event.getClass().getSimpleName()
                    + "; it may belong to a run that was never admitted");
        }
        if (event instanceof TimerFired timer && timer.timerId().equals(RETENTION)) {
            return ending.onRetentionOver(state, now);
        }
        Step step = new Step(state, now, pipeline);
        Optional<Refusal> refusal = event.applyTo(new Rules(step));
        if (refusal.isPresent()) {
            return Decision.refused(state, refusal.get());
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

    /** Which part of the rules each kind of event of an existing run goes to. */
    private final class Rules implements EngineEvent.Rules<Optional<Refusal>> {

        private final Step step;

        Rules(Step step) {
            this.step = step;
        }

        @Override
        public Optional<Refusal> runCreated(RunCreated event) {
            return refused(Refusal.Kind.DUPLICATE_RUN, "run " + event.runId() + " already exists; a duplicate request changes nothing");
        }

        @Override
        public Optional<Refusal> stageStarted(StageStarted event) {
            return ongoing().or(() -> attempts.onStageStarted(step, event));
        }

        @Override
        public Optional<Refusal> stageHeartbeat(StageHeartbeat event) {
            return ongoing().or(() -> attempts.onHeartbeat(step, event));
        }

        @Override
        public Optional<Refusal> stageFinished(StageFinished event) {
            return ongoing().or(() -> attempts.onStageFinished(step, event));
        }

        @Override
        public Optional<Refusal> timerFired(TimerFired event) {
            // Timers of an ended run are told apart by the lifecycle: they fired after the end.
            return attempts.onTimerFired(step, event);
        }

        @Override
        public Optional<Refusal> cancel(Cancel event) {
            return ongoing().or(() -> instructions.onCancel(step, event));
        }

        @Override
        public Optional<Refusal> approve(Approve event) {
            return ongoing().or(() -> instructions.onDecision(step, event.stage(),
                    new Approval(true, event.by(), step.now, event.comment())));
        }

        @Override
        public Optional<Refusal> reject(Reject event) {
            return ongoing().or(() -> instructions.onDecision(step, event.stage(),
                    new Approval(false, event.by(), step.now, event.comment())));
        }

        @Override
        public Optional<Refusal> resume(Resume event) {
            return withoutRevision().or(() -> instructions.onResume(step, event));
        }

        /** Refused when the run already ended, or never had a pipeline revision to run. */
        private Optional<Refusal> ongoing() {
            RunState state = step.state;
            if (state.status().isTerminal()) {
                return refused(Refusal.Kind.RUN_ENDED, "run " + state.runId() + " already ended " + state.status());
            }
            return withoutRevision();
        }

        private Optional<Refusal> withoutRevision() {
            if (step.pipeline != null) {
                return Optional.empty();
            }
            // Only a run refused at admission has no pipeline revision: it never had stages to run.
            return refused(Refusal.Kind.NO_REVISION, "run " + step.state.runId() + " has no pipeline revision to run ("
                    + step.state.reason() + "); start a new run instead");
        }
    }

    static Optional<Refusal> refused(Refusal.Kind kind, String message) {
        return Optional.of(Refusal.of(kind, message));
    }

    private synchronized ExpandedPipeline expand(PipelineDefinition declared) {
        if (expanded.size() > 64) {
            expanded.clear(); // revisions come and go; a handful are in use at any time
        }
        return expanded.computeIfAbsent(declared, ExpandedPipeline::of);
    }
}
