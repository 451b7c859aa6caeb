package dev.stagecoach.pipeline;

import java.time.Duration;

/**
 * Run-wide settings.
 *
 * @param parallelWorkers at most this many stages of one run are in flight at once
 * @param timeout the run's deadline, measured from its start
 */
public record Options(int parallelWorkers, Duration timeout, RetryPolicy retryPolicy) {

    public static final int DEFAULT_PARALLEL_WORKERS = 4;
    public static final int MAX_PARALLEL_WORKERS = 16;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration MAX_TIMEOUT = Duration.ofHours(2);

    public static Options defaults() {
        return new Options(DEFAULT_PARALLEL_WORKERS, DEFAULT_TIMEOUT, RetryPolicy.NONE);
    }
}
