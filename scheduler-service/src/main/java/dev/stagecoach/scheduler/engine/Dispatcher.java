package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.StageSpec;
import java.time.Duration;
import java.time.Instant;

/** Sends the next attempt of a stage to its pool, with its rendered environment and its start timeout. */
final class Dispatcher {

    private final EngineSettings settings;

    Dispatcher(EngineSettings settings) {
        this.settings = settings;
    }

    void dispatch(Step step, StageState stage) {
        if (stage.status() == StageStatus.RETRY_WAIT) {
            // Dispatched by an advance before its timer fired: the timer must not outlive the attempt.
            step.effect(new Effect.CancelTimer(Timers.retry(stage.name(), stage.attempts() + 1), stage.retryAt()));
        }
        StageSpec spec = step.spec(stage.name());
        int attempt = stage.attempts() + 1;
        String attemptId = StageState.Attempt.idOf(step.state.runId(), stage.name(), attempt);
        Instant startBy = step.now.plus(startTimeoutOf(spec));
        StageState dispatched = stage.dispatched(attempt, attemptId, step.now, startBy);
        step.move(StageChange.DISPATCH, dispatched);
        step.effect(new Effect.ScheduleTimer(Timers.start(dispatched), startBy));
        StageEnvironment environment = StageEnvironment.of(step.state, spec, attempt, step.pipeline.declared);
        step.effect(new Effect.DispatchStage(stage.name(), attempt, attemptId, spec.pool(), spec.kind(), spec.run(),
                environment.env(), environment.inputs(), environment.secretEnv(), environment.secretInputs(), spec.artifacts(),
                spec.timeout()));
        step.event("STAGE_DISPATCHED", stage.name(), attempt, "to pool " + spec.pool());
    }

    Duration startTimeoutOf(StageSpec spec) {
        return spec.startTimeout() != null ? spec.startTimeout() : settings.startTimeout();
    }
}
