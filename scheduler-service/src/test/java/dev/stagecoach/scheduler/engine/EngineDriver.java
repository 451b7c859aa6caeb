package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.PipelineLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Feeds events to the pure engine with a clock the test moves, and remembers every effect. */
final class EngineDriver {

    final RunEngine engine = new RunEngine();
    final PipelineDefinition definition;
    final String yaml;
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    RunState state;
    final List<Effect> effects = new ArrayList<>();
    /** The rows of the status tables the run went through, in order. */
    final List<Transitions.Transition<?, ?>> transitions = new ArrayList<>();
    Decision last;

    EngineDriver(String yaml) {
        this.yaml = yaml;
        this.definition = PipelineLoader.load(yaml, "test.yaml").orThrow();
    }

    EngineDriver start(Map<String, String> parameters) {
        return apply(new EngineEvent.RunCreated("run-1", definition.name(), 1, yaml, parameters, "tester"));
    }

    EngineDriver apply(EngineEvent event) {
        last = engine.decide(state, event, now, definition);
        state = last.state();
        effects.addAll(last.effects());
        transitions.addAll(last.transitions());
        return this;
    }

    EngineDriver advance(Duration by) {
        now = now.plus(by);
        return this;
    }

    EngineDriver started(String stage) {
        return apply(new EngineEvent.StageStarted(stage, attemptId(stage), "worker-a"));
    }

    EngineDriver succeeded(String stage) {
        return apply(new EngineEvent.StageFinished(stage, attemptId(stage), EngineEvent.Outcome.SUCCEEDED, 0, 10L,
                null, List.of("done"), Map.of()));
    }

    EngineDriver failed(String stage, int exitCode) {
        return apply(new EngineEvent.StageFinished(stage, attemptId(stage), EngineEvent.Outcome.FAILED, exitCode, 10L,
                "exited with code " + exitCode, List.of("boom"), Map.of()));
    }

    EngineDriver fire(String timerId) {
        return apply(new EngineEvent.TimerFired(timerId));
    }

    /** Fires every timer that the effects scheduled, not cancelled, and that is due now. */
    EngineDriver fireDueTimers() {
        List<Effect.ScheduleTimer> due = scheduledTimers().stream().filter(t -> !t.dueAt().isAfter(now)).toList();
        for (Effect.ScheduleTimer timer : due) {
            effects.add(new Effect.CancelTimer(timer.timerId(), timer.dueAt()));
            fire(timer.timerId());
        }
        return this;
    }

    /** Timers scheduled and neither cancelled nor fired yet. */
    List<Effect.ScheduleTimer> scheduledTimers() {
        List<Effect.ScheduleTimer> live = new ArrayList<>();
        for (Effect effect : effects) {
            if (effect instanceof Effect.ScheduleTimer timer) {
                live.add(timer);
            } else if (effect instanceof Effect.CancelTimer cancel) {
                live.removeIf(t -> t.timerId().equals(cancel.timerId()) && t.dueAt().equals(cancel.dueAt()));
            }
        }
        return live;
    }

    /** Why the last event changed nothing, or null when it changed the run. */
    String refusal() {
        return last.refusal().map(Refusal::message).orElse(null);
    }

    String attemptId(String stage) {
        return state.stage(stage).attemptId();
    }

    StageStatus status(String stage) {
        return state.stage(stage).status();
    }

    List<Effect.DispatchStage> dispatches() {
        return effects.stream().filter(Effect.DispatchStage.class::isInstance).map(Effect.DispatchStage.class::cast).toList();
    }

    List<String> dispatchedStages() {
        return dispatches().stream().map(Effect.DispatchStage::stage).toList();
    }

    List<Effect.Notify> notifications() {
        return effects.stream().filter(Effect.Notify.class::isInstance).map(Effect.Notify.class::cast).toList();
    }

    List<String> runEventTypes() {
        return effects.stream().filter(Effect.EmitRunEvent.class::isInstance)
                .map(e -> ((Effect.EmitRunEvent) e).type()).toList();
    }
}
