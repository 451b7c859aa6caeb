package dev.stagecoach.notifier;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** What a deployer may tune about delivery; every key has an environment variable too. */
@ConfigMapping(prefix = "stagecoach.notifier")
public interface NotifierConfig {

    /** Attempts per notification, the first one included. */
    @WithDefault("5")
    int maxAttempts();

    /** Wait before the second attempt; it doubles for every further one. */
    @WithDefault("1s")
    Duration initialBackoff();

    @WithDefault("30s")
    Duration maxBackoff();

    /** How long one attempt may take, from connecting to the answer's status line. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** How many delivered dedupe ids are remembered; the oldest are forgotten first. */
    @WithDefault("10000")
    int dedupeCapacity();

    /** Deliveries under way at once; further notifications wait in Kafka, not in memory. */
    @WithDefault("100")
    int maxInFlight();
}
