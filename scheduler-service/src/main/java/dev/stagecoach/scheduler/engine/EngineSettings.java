package dev.stagecoach.scheduler.engine;

import java.time.Duration;

/**
 * What a deployment decides for every run, where a pipeline does not say otherwise.
 *
 * @param startTimeout how long a dispatched attempt may wait for a worker to start it before it counts as lost
 * @param retention how long a finished run is kept (state, snapshot, timers) before it is forgotten
 */
public record EngineSettings(Duration startTimeout, Duration retention) {

    public static final EngineSettings DEFAULTS = new EngineSettings(Duration.ofSeconds(60), Duration.ofDays(7));

    public EngineSettings {
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("the start timeout must be positive, not " + startTimeout);
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("the retention must be positive, not " + retention);
        }
    }
}
