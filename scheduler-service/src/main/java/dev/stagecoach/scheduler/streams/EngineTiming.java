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
 */
public record EngineTiming(Duration timerResolution, Duration snapshotInterval, Duration timersHeldAfterStart) {

    /** Timers fire from the first look: for tests, whose task starts with nothing waiting. */
    public EngineTiming(Duration timerResolution, Duration snapshotInterval) {
        this(timerResolution, snapshotInterval, Duration.ZERO);
    }
}
