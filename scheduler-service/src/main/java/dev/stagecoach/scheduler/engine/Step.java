package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.NotificationEvent;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.StageSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The state and effects of one decision while it is being made. */
final class Step {
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

    /** The name of whoever asked, as a run event says it. */
    static String who(String by) {
        return by == null || by.isBlank() ? "an anonymous request" : by;
    }
}
