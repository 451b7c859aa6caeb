package dev.stagecoach.scheduler.engine;

import java.util.List;

/**
 * The answer of {@link RunEngine#decide}: the new state and what to do about it.
 *
 * @param ignoredBecause why the event changed nothing (a duplicate, a stale attempt), or null
 */
public record Decision(RunState state, List<Effect> effects, String ignoredBecause) {

    public Decision {
        effects = List.copyOf(effects);
    }

    static Decision ignored(RunState state, String why) {
        return new Decision(state, List.of(), why);
    }

    public boolean changed() {
        return ignoredBecause == null;
    }
}
