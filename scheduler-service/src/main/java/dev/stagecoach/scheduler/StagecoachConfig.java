package dev.stagecoach.scheduler;

import dev.stagecoach.events.Topics;
import dev.stagecoach.pipeline.PipelineLimits;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

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

    /**
     * How long a dispatched attempt may wait for a worker of its pool to start it before it
     * counts as lost and is retried as its policy says.
     */
    @WithDefault("60s")
    Duration startTimeout();

    /**
     * How long the engine's timers wait after a task starts (at start-up, or when this
     * instance takes runs over from another), so that the results that waited meanwhile are
     * read first: a heartbeat that arrived during a fail-over must not lose its attempt.
     */
    @WithDefault("5s")
    Duration timersHeldAfterStart();

    /** How long a finished run (its state, timers and snapshot) is kept before it is forgotten. */
    @WithDefault("7d")
    Duration retention();

    /**
     * The scheduler's own secrets (webhook signatures) by name, for development and tests. A
     * deployment sets environment variables {@code STAGECOACH_SECRET_<NAME>} instead; a name
     * given here wins over the variable. {@code key} and {@code previous-keys} here are the
     * keys that seal secret parameters ({@link SecretKeys}), never secrets of this kind.
     */
    Map<String, String> secrets();

    Triggers triggers();

    Auth auth();

    /** How the topics the scheduler creates (the commands topic of each pool) are laid out. */
    @WithName("topics")
    TopicSettings topicSettings();

    Cluster cluster();

    /** What the scheduler keeps of the lines stages print, for the API, the CLI and the dashboard. */
    Logs logs();

    /** What the scheduler keeps of the audit topic, in memory and on the broker. */
    Audit audit();

    interface Audit {

        /** The newest audit entries kept in memory for {@code GET /api/audit} and {@code stagecoach audit}; older ones are only on the topic. */
        @WithDefault("10000")
        int entriesKept();

        /** How long the audit topic keeps its entries: its {@code retention.ms}, set at start. */
        @WithDefault("365d")
        Duration retention();
    }

    interface Logs {

        /** The newest lines kept per stage attempt; older ones are dropped, and counted. */
        @WithDefault("10000")
        int linesPerAttempt();
    }

    /** How big a pipeline and a run's input may be; beyond, they are refused with an error naming the limit. */
    Limits limits();

    interface Limits {

        /** The largest pipeline file, in bytes. */
        @WithDefault("1048576")
        long pipelineBytes();

        /** The most stages of one pipeline, {@code finally} stages included. */
        @WithDefault("500")
        int stages();

        /** The most shards that the fanned-out stages of one run make together. */
        @WithDefault("1000")
        int shards();

        /** The longest parameter value, in characters. */
        @WithDefault("65536")
        int parameterChars();

        default PipelineLimits pipelineLimits() {
            return new PipelineLimits(pipelineBytes(), stages(), shards(), parameterChars());
        }
    }

    /** Bearer tokens of the REST API. Webhooks prove themselves by signature instead. */
    interface Auth {

        /** Off only for development and tests: every caller may then do everything. */
        @WithDefault("true")
        boolean enabled();

        /** Token name (the caller's name in runs and decisions) to {@code <role>:<token>}; roles: viewer, operator, admin. */
        Map<String, String> tokens();

        /** One admin token, named {@value dev.stagecoach.scheduler.api.auth.ConfiguredTokens#ADMIN}: the one setting a deployment needs. */
        Optional<String> adminToken();

        /**
         * Token name to the pipelines it may reach, as comma-separated globs ({@code release-*,deploy-?});
         * a token without a scope reaches every pipeline.
         */
        Map<String, String> scopes();
    }

    default Topics topics() {
        return new Topics(topicPrefix());
    }

    /**
     * One place for replication: a real cluster sets these once, and the commands topics, the
     * local stack's topics and Kafka Streams' internal topics all follow.
     */
    interface TopicSettings {

        /** Partitions of a new commands topic; they bound how many workers of one pool share its work. */
        @WithDefault("8")
        int commandPartitions();

        /** Replicas of every topic Stagecoach creates; 3 on a cluster of three or more brokers. */
        @WithDefault("1")
        short replicationFactor();

        /** {@code min.insync.replicas} of every topic Stagecoach creates: with 3 replicas, 2 lets one broker be down. */
        @WithDefault("1")
        int minInsyncReplicas();
    }

    interface Triggers {

        Cron cron();

        Event event();
    }

    interface Cron {

        /** How often the schedules are looked at, as Quarkus' {@code @Scheduled(every)} reads it; {@code off} stops cron triggers. */
        @WithDefault("1s")
        String tick();

        /** How far back a fire time missed while no scheduler was running may lie and still start its run. */
        @WithDefault("1h")
        Duration catchUpWindow();
    }

    interface Event {

        /** The consumer group that reads the topics named by event triggers. */
        @WithDefault("stagecoach-event-triggers")
        String groupId();

        /** How soon a registration that adds or removes an event trigger changes what is read. */
        @WithDefault("1s")
        Duration refresh();
    }

    /**
     * Several scheduler instances acting as one (docs/operations.md, "Running several
     * schedulers"). The Kafka Streams keys these feed are set in application.properties.
     */
    interface Cluster {

        /**
         * This instance's name, stable across restarts in place: the engine consumer's
         * {@code group.instance.id}, so that a restarted instance gets its partitions back
         * without a rebalance. Two running instances must never share it.
         */
        String instanceId();

        /** {@code host:port} at which the other instances reach this one's API (Kafka Streams' {@code application.server}). */
        String advertisedAddress();

        /** This machine's host name, from which the defaults above are made. */
        Optional<String> hostName();

        /** Warm copies of each run partition on other instances, which take over without replaying the changelog. */
        @WithDefault("1")
        int standbyReplicas();

        /** How long the owner of a run may take to answer a request forwarded to it. */
        @WithDefault("5s")
        Duration forwardTimeout();
    }
}
