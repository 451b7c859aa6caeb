package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.NotificationEvent;
import dev.stagecoach.pipeline.NotificationTarget;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.StageSpec;
import dev.stagecoach.scheduler.engine.Transitions.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The state and effects of one decision while it is being made. */
final class Step {
    RunState state;
    final Instant now;
    final ExpandedPipeline pipeline;
    final PipelineDefinition definition;
    final List<Effect> effects = new ArrayList<>();
    private final List<Transition<?, ?>> transitions = new ArrayList<>();

    /** @param pipeline the run's pipeline revision, or null when it is what failed (see {@link Ending#failed}) */
    Step(RunState state, Instant now, ExpandedPipeline pipeline) {
        this.state = state;
        this.now = now;
        this.pipeline = pipeline;
        this.definition = pipeline == null ? null : pipeline.definition;
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

    /** Moves a stage by {@code change} to {@code next}, which must be where a row of the stage table leads. */
    void move(StageChange change, StageState next) {
        transitions.add(StageStatus.TRANSITIONS.require(next.name(), statusOf(next.name()), change, next.status()));
        state = state.withStage(next);
    }

    /** Updates a stage without moving it (a heartbeat, an approval's decision), or adds a rollback step, pending. */
    void put(StageState next) {
        StageStatus from = statusOf(next.name());
        if (from != next.status()) {
            throw new IllegalStateException("Expected stage \"" + next.name() + "\" to stay " + from + ", but it would become "
                    + next.status() + " without a change that leads there");
        }
        state = state.withStage(next);
    }

    /** A stage not laid out yet (a rollback step never queued) counts as pending. */
    private StageStatus statusOf(String stage) {
        StageState current = state.stage(stage);
        return current == null ? StageStatus.PENDING : current.status();
    }

    /** Ends the run with {@code status}. */
    void endRun(RunStatus status, String reason) {
        transitions.add(RunStatus.TRANSITIONS.require(state.runId(), state.status(), changeTo(status), status));
        state = state.ended(status, now, reason);
    }

    void resumeRun(Instant deadline) {
        transitions.add(RunStatus.TRANSITIONS.require(state.runId(), state.status(), RunChange.RESUME, RunStatus.RUNNING));
        state = state.resumed(deadline);
    }

    private static RunChange changeTo(RunStatus outcome) {
        return switch (outcome) {
            case SUCCEEDED -> RunChange.SUCCEED;
            case FAILED -> RunChange.FAIL;
            case CANCELLED -> RunChange.CANCEL;
            case RUNNING -> throw new IllegalArgumentException("a run ends SUCCEEDED, FAILED or CANCELLED, not RUNNING");
        };
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
            effects.add(NotificationTexts.notify(state, event, targets.get(i), i, this::isCritical));
        }
        if (event == NotificationEvent.ON_SUCCESS) {
            // A success closes the incident a failure opened, unless on_success names that target itself.
            var paged = definition.notificationsFor(NotificationEvent.ON_FAILURE);
            for (int i = 0; i < paged.size(); i++) {
                if (paged.get(i).channel() == NotificationTarget.Channel.PAGERDUTY && !targets.contains(paged.get(i))) {
                    effects.add(NotificationTexts.resolveIncident(state, paged.get(i), i, this::isCritical));
                }
            }
        }
    }

    private boolean isCritical(String stage) {
        return pipeline.stage(stage).map(StageSpec::critical).orElse(true);
    }

    /** Cancels the timers that watch the stage's attempt in flight. */
    void cancelAttemptTimers(StageState stage) {
        StageState.Attempt attempt = stage.attempt();
        if (stage.status() == StageStatus.DISPATCHED && attempt.startBy() != null) {
            effects.add(new Effect.CancelTimer(Timers.start(stage), attempt.startBy()));
        }
        if (stage.status() == StageStatus.RUNNING) {
            effects.add(new Effect.CancelTimer(Timers.watch(stage), attempt.lostAt()));
        }
    }

    Decision decision() {
        return new Decision(state, effects, transitions, Optional.empty());
    }

    /** The name of whoever asked, as a run event says it. */
    static String who(String by) {
        return by == null || by.isBlank() ? "an anonymous request" : by;
    }
}
