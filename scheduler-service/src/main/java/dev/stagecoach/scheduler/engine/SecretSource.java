package dev.stagecoach.scheduler.engine;

/**
 * Where {@code secrets.<NAME>} in a stage's env comes from. Given to the engine rather than
 * read by it, so that the engine stays a function of its inputs and secret values never
 * enter the run's state.
 */
@FunctionalInterface
public interface SecretSource {

    SecretSource NONE = name -> null;

    /** The value of the secret, or null when there is no such secret. */
    String value(String name);
}
