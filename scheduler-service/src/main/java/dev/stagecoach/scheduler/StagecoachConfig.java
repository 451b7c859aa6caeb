package dev.stagecoach.scheduler;

import dev.stagecoach.events.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "stagecoach")
public interface StagecoachConfig {

    /** Prefix of every topic name, so that installations can share a cluster. */
    @WithDefault(Topics.DEFAULT_PREFIX)
    String topicPrefix();

    /** How often due timers (retries, deadlines, run timeouts) are looked for. */
    @WithDefault("200ms")
    Duration timerResolution();

    /**
     * How long a running run's snapshot on the runs topic may lag its state, so that the
     * changes within it are published once; a run's end is published at once. Zero: every change.
     */
    @WithDefault("100ms")
    Duration snapshotInterval();

    default Topics topics() {
        return new Topics(topicPrefix());
    }
}
