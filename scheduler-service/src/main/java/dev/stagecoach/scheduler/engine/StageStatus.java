package dev.stagecoach.scheduler.engine;

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

    /**
     * The life of a stage, written down once. Retries, resumes and rollbacks go through these
     * rows like everything else; {@code TransitionCoverageTest} fails when one is never taken.
     */
    public static final Transitions<StageStatus, StageChange> TRANSITIONS = Transitions.of("stage", StageStatus.class, StageChange.class)
            .from(PENDING)
                .on(StageChange.DISPATCH, DISPATCHED)
                .on(StageChange.AWAIT_APPROVAL, AWAITING_APPROVAL)
                .on(StageChange.SKIP, SKIPPED)
            .from(AWAITING_APPROVAL)
                // Approved, it waits on for a free slot.
                .on(StageChange.APPROVE, AWAITING_APPROVAL)
                .on(StageChange.DISPATCH, DISPATCHED)
                .on(StageChange.REJECT, FAILED)
                .on(StageChange.APPROVAL_TIMEOUT, FAILED)
                .on(StageChange.SKIP, SKIPPED)
            .from(DISPATCHED)
                .on(StageChange.START, RUNNING)
                // A result can overtake its start: a worker's STARTED and FINISHED go out without waiting for each other.
                .on(StageChange.SUCCEED, SUCCEEDED)
                .on(StageChange.FAIL, FAILED)
                .on(StageChange.WAIT_FOR_RETRY, RETRY_WAIT)
                .on(StageChange.CANCEL, CANCELLED)
            .from(RUNNING)
                .on(StageChange.SUCCEED, SUCCEEDED)
                .on(StageChange.FAIL, FAILED)
                .on(StageChange.WAIT_FOR_RETRY, RETRY_WAIT)
                .on(StageChange.CANCEL, CANCELLED)
            .from(RETRY_WAIT)
                .on(StageChange.DISPATCH, DISPATCHED)
                // Its rollback failed: it is not retried.
                .on(StageChange.FAIL, FAILED)
                .on(StageChange.CANCEL, CANCELLED)
            .from(SUCCEEDED)
                .on(StageChange.RUN_AGAIN, PENDING)
            .from(FAILED)
                .on(StageChange.RUN_AGAIN, PENDING)
                .on(StageChange.REOPEN, PENDING)
            .from(CANCELLED)
                .on(StageChange.RUN_AGAIN, PENDING)
                .on(StageChange.REOPEN, PENDING)
            .from(SKIPPED)
                .on(StageChange.RUN_AGAIN, PENDING)
                .on(StageChange.REOPEN, PENDING)
            .build();

    /** The statuses one change away from this one. */
    public Set<StageStatus> allowedNext() {
        return TRANSITIONS.reachableFrom(this);
    }

    public boolean canBecome(StageStatus next) {
        return allowedNext().contains(next);
    }

    /** A resumed run runs these again; only a succeeded stage is a checkpoint that stays. */
    public boolean rerunsOnResume() {
        return this == FAILED || this == CANCELLED || this == SKIPPED;
    }
}
