package dev.stagecoach.scheduler.engine;

import java.util.Set;

/** The life of a run. Transitions are written down once, here, and tested exhaustively. */
public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this != RUNNING;
    }

    /** The life of a run, written down once; {@code TransitionCoverageTest} fails when a row is never taken. */
    public static final Transitions<RunStatus, RunChange> TRANSITIONS = Transitions.of("run", RunStatus.class, RunChange.class)
            .from(RUNNING)
                .on(RunChange.SUCCEED, SUCCEEDED)
                .on(RunChange.FAIL, FAILED)
                .on(RunChange.CANCEL, CANCELLED)
            .from(FAILED)
                .on(RunChange.RESUME, RUNNING)
            .from(CANCELLED)
                .on(RunChange.RESUME, RUNNING)
            .build();

    /** The statuses one change away from this one. */
    public Set<RunStatus> allowedNext() {
        return TRANSITIONS.reachableFrom(this);
    }

    public boolean canBecome(RunStatus next) {
        return allowedNext().contains(next);
    }

    /** A failed or cancelled run can be resumed: it runs again, keeping its id and its succeeded stages. */
    public boolean isResumable() {
        return this == FAILED || this == CANCELLED;
    }
}
