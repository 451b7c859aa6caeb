package dev.stagecoach.scheduler.engine;

import java.util.EnumSet;
import java.util.Set;

/** The life of a run. Transitions are written down once, here, and tested exhaustively. */
public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this != RUNNING;
    }

    public Set<RunStatus> allowedNext() {
        return this == RUNNING ? EnumSet.of(SUCCEEDED, FAILED, CANCELLED) : EnumSet.noneOf(RunStatus.class);
    }

    public boolean canBecome(RunStatus next) {
        return allowedNext().contains(next);
    }

    /** A failed or cancelled run can be resumed: it runs again, keeping its id and its succeeded stages. */
    public boolean isResumable() {
        return this == FAILED || this == CANCELLED;
    }
}
