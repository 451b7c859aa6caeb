package dev.stagecoach.scheduler.streams;

import java.time.Duration;

/**
 * How often the engine's processor looks at the clock.
 *
 * @param timerResolution how often due timers (retries, deadlines, run timeouts) are looked for
 * @param snapshotInterval how long a running run's snapshot may wait for later changes; zero publishes every change
 * @param timersHeldAfterStart how long a task that has just started (or taken over runs from
 *     another instance) lets its records catch up before its timers fire: heartbeats that waited
 *     while no instance owned the runs must count before a heartbeat deadline does
 * @param handOffCommitGap the least time between two commits the engine asks for when it hands
 *     work on ({@link CommitPacing}); zero leaves every commit to the commit interval
 */
public record EngineTiming(Duration timerResolution, Duration snapshotInterval, Duration timersHeldAfterStart,
                           Duration handOffCommitGap) {

    /** Timers fire from the first look, commits come by interval: for tests, whose task starts with nothing waiting. */
    public EngineTiming(Duration timerResolution, Duration snapshotInterval) {
        this(timerResolution, snapshotInterval, Duration.ZERO, Duration.ZERO);
    }
}
