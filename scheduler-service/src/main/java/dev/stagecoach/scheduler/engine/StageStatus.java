package dev.stagecoach.scheduler.engine;

import java.util.EnumSet;
import java.util.Set;

/** The life of one stage within a run. */
public enum StageStatus {
    /** Waiting for the stages it needs, or for a free slot. */
    PENDING,
    /** Ready to run, waiting for a person to approve or reject it. */
    AWAITING_APPROVAL,
    /** A command for the current attempt is on its way to a worker. */
    DISPATCHED,
    /** A worker reported that it started the current attempt. */
    RUNNING,
    /** The last attempt failed; the next one is due when its back-off timer fires. */
    RETRY_WAIT,
    SUCCEEDED,
    FAILED,
    /** Never ran because the run ended first. */
    SKIPPED,
    /** Was in flight when the run was cancelled or failed. */
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == SKIPPED || this == CANCELLED;
    }

    public boolean isInFlight() {
        return this == DISPATCHED || this == RUNNING;
    }

    public Set<StageStatus> allowedNext() {
        return switch (this) {
            case PENDING -> EnumSet.of(DISPATCHED, AWAITING_APPROVAL, SKIPPED);
            case AWAITING_APPROVAL -> EnumSet.of(DISPATCHED, FAILED, SKIPPED);
            case DISPATCHED -> EnumSet.of(RUNNING, SUCCEEDED, FAILED, RETRY_WAIT, CANCELLED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, RETRY_WAIT, CANCELLED);
            case RETRY_WAIT -> EnumSet.of(DISPATCHED, FAILED, SKIPPED, CANCELLED);
            case SUCCEEDED, FAILED, SKIPPED, CANCELLED -> EnumSet.noneOf(StageStatus.class);
        };
    }

    public boolean canBecome(StageStatus next) {
        return allowedNext().contains(next);
    }

    /** A resumed run runs these again; only a succeeded stage is a checkpoint that stays. */
    public boolean rerunsOnResume() {
        return this == FAILED || this == CANCELLED || this == SKIPPED;
    }
}
