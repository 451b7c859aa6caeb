package dev.stagecoach.pipeline;

/** What happens when an attempt of a stage fails. */
public enum OnFailure {
    /** Retry as the retry policy says; when the attempts run out, the stage fails. */
    RETRY,
    /** Run the stage's own rollback command before each retry. */
    ROLLBACK_AND_RETRY,
    /** When the stage fails for good, run the rollback commands of the succeeded stages, newest first. */
    ROLLBACK_RUN,
    /** No retry: the stage fails and the run fails with it at once, critical or not. */
    ABORT
}
