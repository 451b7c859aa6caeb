package dev.stagecoach.worker;

import dev.stagecoach.events.StageCommand;
import java.util.List;

/** Does nothing and succeeds: stages with nothing to run, and the benchmarks' hand-off measurements. */
public final class NoopStage implements StageKind {

    @Override
    public String name() {
        return "noop";
    }

    @Override
    public AttemptOutcome execute(StageCommand command, RunningAttempt attempt) {
        return AttemptOutcome.succeeded(List.of());
    }
}
