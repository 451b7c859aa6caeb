package dev.stagecoach.scheduler.engine;

/** What can happen to a stage; {@link StageStatus#TRANSITIONS} says where each leads from where. */
public enum StageChange {
    /** An attempt is sent to the stage's pool. */
    DISPATCH,
    /** Its needs are met, and a person must approve it first. */
    AWAIT_APPROVAL,
    /** A person approved it; it starts when a slot is free. */
    APPROVE,
    REJECT,
    /** Nobody decided within the approval's timeout. */
    APPROVAL_TIMEOUT,
    /** A worker reported that it started the attempt. */
    START,
    SUCCEED,
    /** The attempt failed (or was lost) and the retry policy allows no other. */
    FAIL,
    /** The attempt failed (or was lost); the next one is due after the back-off. */
    WAIT_FOR_RETRY,
    /** Its condition is false, or the run ended before it ran. */
    SKIP,
    /** The run ended while the attempt was in flight or waiting for its retry. */
    CANCEL,
    /** A rollback step is queued again: before another retry of its stage, or for the run. */
    RUN_AGAIN,
    /** The run is resumed: a stage that did not succeed runs again. */
    REOPEN
}
