package dev.stagecoach.notifier;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

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

    /**
     * How many delivered dedupe ids are kept in memory, read back from the delivered topic at
     * start; the oldest are forgotten first, so this bounds how far back a redelivery is caught.
     */
    @WithDefault("100000")
    int dedupeCapacity();

    /** A folder of templates that replace the built-in ones file by file: {@code <channel>/<event>.<ext>}. */
    Optional<Path> templatesDir();

    /** A run's page in the dashboard; {@code {publicUrl}} and {@code {runId}} are filled in. */
    @WithDefault("{publicUrl}/#/runs/{runId}")
    String dashboardLink();

    Slack slack();

    Pagerduty pagerduty();

    interface Slack {

        /** A bot token with the chat:write scope, for targets that name a channel. */
        Optional<String> token();

        @WithDefault("https://slack.com/api")
        String apiUrl();
    }

    interface Pagerduty {

        @WithDefault("https://events.pagerduty.com/v2/enqueue")
        String eventsUrl();

        /** The integration key of the service to page, unless a target names its own secret. */
        Optional<String> routingKey();
    }

    /** Deliveries under way at once; further notifications wait in Kafka, not in memory. */
    @WithDefault("100")
    int maxInFlight();

    /**
     * How long a notifier told to stop (SIGTERM, a rolling update) lets the deliveries under way
     * end, taking no new ones. What has not ended by then is resumed by the next start, as after
     * a kill. Keep it below the time the platform waits before it kills (15 s for {@code down}).
     */
    @WithDefault("10s")
    Duration shutdownGrace();
}
