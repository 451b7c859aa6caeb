package dev.stagecoach.scheduler;

/**
 * Where the scheduler's own secrets come from: the signing secrets of webhook triggers. The
 * secrets of stages ({@code secrets.<NAME>}) are never read here; workers resolve them.
 */
@FunctionalInterface
public interface SecretSource {

    SecretSource NONE = name -> null;

    /** The value of the secret, or null when there is no such secret. */
    String value(String name);
}
