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

    default Topics topics() {
        return new Topics(topicPrefix());
    }
}
