package dev.stagecoach.notifier;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next attempt: the initial back-off doubled for every failed
 * attempt, capped, with "equal jitter" (between half and all of it) so that receivers that
 * failed together are not hit again together.
 */
public final class ExponentialBackoff {

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier jitter;

    /** @param jitter values in [0, 1); {@code () -> 1.0} gives the plain exponential */
    public ExponentialBackoff(Duration initial, Duration max, DoubleSupplier jitter) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial back-off must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max back-off " + max + " is shorter than the initial back-off " + initial);
        }
        this.initial = initial;
        this.max = max;
        this.jitter = jitter;
    }

    /** The wait after {@code failedAttempts} attempts failed (1 after the first). */
    public Duration delayAfter(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failed attempts start at 1, was " + failedAttempts);
        }
        // A double cannot overflow into a negative wait; it saturates and the cap applies.
        double exponential = initial.toNanos() * Math.pow(2, failedAttempts - 1);
        long capped = (long) Math.min(exponential, max.toNanos());
        double factor = 0.5 + 0.5 * Math.min(1.0, Math.max(0.0, jitter.getAsDouble()));
        return Duration.ofNanos((long) (capped * factor));
    }

    /**
     * As {@link #delayAfter(int)}, but never sooner than a receiver's {@code Retry-After}; that
     * hint is capped too, so that one receiver cannot park a notification for hours.
     */
    public Duration delayAfter(int failedAttempts, Optional<Duration> retryAfter) {
        Duration own = delayAfter(failedAttempts);
        return retryAfter
                .map(hint -> hint.compareTo(max) > 0 ? max : hint)
                .filter(hint -> hint.compareTo(own) > 0)
                .orElse(own);
    }
}
