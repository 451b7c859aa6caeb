package dev.stagecoach.worker;

import dev.stagecoach.events.StageCommand;

/** One way of executing a stage: shell, noop, or a custom handler. */
public interface StageKind {

    String name();

    /**
     * Executes the attempt, reporting output lines to {@code attempt} as they come. Must
     * return promptly once {@link RunningAttempt#cancelled()} turns true.
     */
    AttemptOutcome execute(StageCommand command, RunningAttempt attempt) throws Exception;
}
