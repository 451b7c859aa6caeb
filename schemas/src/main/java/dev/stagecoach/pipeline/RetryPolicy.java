package dev.stagecoach.pipeline;

import java.time.Duration;

/**
 * How often a stage is tried and how long to wait between tries.
 *
 * <p>The delay before try {@code n + 1} (after {@code n} failed tries) is
 * {@code initial_delay * 2^(n-1)} for exponential back-off, {@code initial_delay * n} for
 * linear and {@code initial_delay} for fixed, capped at {@code max_delay}.
 */
public record RetryPolicy(int maxAttempts, Backoff backoff, Duration initialDelay, Duration maxDelay) {

    public static final RetryPolicy NONE =
            new RetryPolicy(1, Backoff.FIXED, Duration.ZERO, Duration.ZERO);
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(10);

    public enum Backoff { EXPONENTIAL, LINEAR, FIXED }

    /** The wait before the next try, once {@code failedAttempts} tries have failed. */
    public Duration delayAfter(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be at least 1, was " + failedAttempts);
        }
        Duration delay = switch (backoff) {
            case FIXED -> initialDelay;
            case LINEAR -> initialDelay.multipliedBy(failedAttempts);
            case EXPONENTIAL -> initialDelay.multipliedBy(1L << Math.min(failedAttempts - 1, 30));
        };
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    public boolean allowsAnotherAttemptAfter(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }
}
