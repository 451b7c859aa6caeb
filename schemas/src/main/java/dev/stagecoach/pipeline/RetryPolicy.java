package dev.stagecoach.pipeline;

import java.time.Duration;

/**
 * How often a stage is tried and how long to wait between tries.
 *
 * <p>The delay before try {@code n + 1} (after {@code n} failed tries) is
 * {@code initial_delay * 2^(n-1)} for exponential back-off, {@code initial_delay * n} for
 * linear and {@code initial_delay} for fixed, capped at {@code max_delay}. With jitter, that
 * delay is shortened by up to {@code jitter} of it, by a share that differs from attempt to
 * attempt, so that stages that failed together do not all retry at the same moment; see
 * {@link #delayAfter(int, double)}.
 *
 * @param jitter 0 to 1: the largest share of the delay that jitter may take away
 */
public record RetryPolicy(int maxAttempts, Backoff backoff, Duration initialDelay, Duration maxDelay, double jitter) {

    public static final RetryPolicy NONE =
            new RetryPolicy(1, Backoff.FIXED, Duration.ZERO, Duration.ZERO);
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(10);

    public enum Backoff { EXPONENTIAL, LINEAR, FIXED }

    public RetryPolicy {
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
    }

    public RetryPolicy(int maxAttempts, Backoff backoff, Duration initialDelay, Duration maxDelay) {
        this(maxAttempts, backoff, initialDelay, maxDelay, 0);
    }

    /** The wait before the next try, once {@code failedAttempts} tries have failed, without jitter: the longest wait. */
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

    /**
     * The wait with jitter: {@code delayAfter(failedAttempts) × (1 − jitter × unit)}, to the
     * nearest millisecond. The caller supplies {@code unit} rather than this method drawing
     * it, so that the engine can derive it from the attempt and stay a pure function of its
     * inputs: the same attempt always waits the same time, also when its events are replayed.
     *
     * @param unit in [0, 1); 0 gives the longest wait
     */
    public Duration delayAfter(int failedAttempts, double unit) {
        if (!(unit >= 0 && unit < 1)) {
            throw new IllegalArgumentException("unit must be at least 0 and below 1, was " + unit);
        }
        Duration base = delayAfter(failedAttempts);
        if (jitter == 0 || unit == 0) {
            return base;
        }
        return Duration.ofMillis(Math.round(base.toMillis() * (1 - jitter * unit)));
    }

    /** The lower end of the waits jitter can give after {@code failedAttempts} failures: {@code delayAfter} × (1 − jitter). */
    public Duration shortestDelayAfter(int failedAttempts) {
        Duration base = delayAfter(failedAttempts);
        return jitter == 0 ? base : Duration.ofMillis(Math.round(base.toMillis() * (1 - jitter)));
    }

    public boolean allowsAnotherAttemptAfter(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }
}
