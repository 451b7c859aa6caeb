package dev.stagecoach.scheduler.engine;

/**
 * Why an event changed nothing, as a value: the kind says what a caller may do about it, the
 * message says it to a person ("attempt run-1/build/1 is stale: stage "build" waits for attempt
 * run-1/build/2").
 */
public record Refusal(Kind kind, String message) {

    public enum Kind {
        /** The event is for a run the engine never admitted (or already forgot). */
        NO_SUCH_RUN,
        /** The run already exists: a repeated request. */
        DUPLICATE_RUN,
        /** The run ended; only a resume or its timers still apply. */
        RUN_ENDED,
        /** The run was refused at admission and has no pipeline revision to go on with. */
        NO_REVISION,
        NO_SUCH_STAGE,
        /** The message is about an attempt that is no longer the stage's current one. */
        STALE_ATTEMPT,
        /** The same message again (a start, a result), or one the attempt's state no longer fits. */
        REPEATED,
        /** A timer that fired after what it watched was over. */
        TIMER_OBSOLETE,
        /** A person's instruction that does not fit the run as it stands (not waiting for approval, not resumable). */
        NOT_APPLICABLE,
        /** A person who may not give that instruction. */
        NOT_ALLOWED
    }

    public Refusal {
        if (kind == null || message == null || message.isBlank()) {
            throw new IllegalArgumentException("a refusal needs a kind and a message");
        }
    }

    static Refusal of(Kind kind, String message) {
        return new Refusal(kind, message);
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
