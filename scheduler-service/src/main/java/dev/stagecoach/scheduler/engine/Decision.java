package dev.stagecoach.scheduler.engine;

import dev.stagecoach.scheduler.engine.Transitions.Transition;
import java.util.List;
import java.util.Optional;

/**
 * The answer of {@link RunEngine#decide}: the new state, what to do about it, and the rows of
 * {@link StageStatus#TRANSITIONS} and {@link RunStatus#TRANSITIONS} it went through.
 *
 * @param refusal why the event changed nothing (a duplicate, a stale attempt, an instruction that does not apply)
 */
public record Decision(RunState state, List<Effect> effects, List<Transition<?, ?>> transitions, Optional<Refusal> refusal) {

    public Decision {
        effects = List.copyOf(effects);
        transitions = List.copyOf(transitions);
    }

    static Decision refused(RunState state, Refusal refusal) {
        return new Decision(state, List.of(), List.of(), Optional.of(refusal));
    }

    static Decision refused(RunState state, Refusal.Kind kind, String message) {
        return refused(state, Refusal.of(kind, message));
    }

    public boolean changed() {
        return refusal.isEmpty();
    }
}
