package dev.stagecoach.scheduler.api;

/** The state stores cannot be read yet; the API answers 503 and the caller retries. */
public class EngineNotReadyException extends RuntimeException {

    public EngineNotReadyException(String message) {
        super(message);
    }
}
