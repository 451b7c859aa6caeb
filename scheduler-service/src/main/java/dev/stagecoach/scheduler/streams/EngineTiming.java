package dev.stagecoach.scheduler.streams;

import java.time.Duration;

/**
 * How often the engine's processor looks at the clock.
 *
 * @param timerResolution how often due timers (retries, deadlines, run timeouts) are looked for
 * @param snapshotInterval how long a running run's snapshot may wait for later changes; zero publishes every change
 */
public record EngineTiming(Duration timerResolution, Duration snapshotInterval) {
}
