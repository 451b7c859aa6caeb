package dev.stagecoach.scheduler.engine;

/** What can happen to a run; {@link RunStatus#TRANSITIONS} says where each leads from where. */
public enum RunChange {
    /** Every main stage ended, none of them a failed critical one, and the finally stages passed. */
    SUCCEED,
    /** A critical stage failed, a finally stage failed, or the engine could not apply an event. */
    FAIL,
    /** A person cancelled it, or it outlived its timeout. */
    CANCEL,
    /** A person resumed it: the stages that did not succeed run again. */
    RESUME
}
