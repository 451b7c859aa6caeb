package dev.stagecoach.events;

/**
 * Topic names, in one place. Every name takes the installation's prefix (default
 * {@code stagecoach.}) so that several installations can share one cluster.
 */
public final class Topics {

    public static final String DEFAULT_PREFIX = "stagecoach.";

    /**
     * Partitions of a commands topic: they bound how many workers of one pool share its work,
     * since each partition goes to one worker of the pool's consumer group.
     */
    public static final int COMMAND_PARTITIONS = 8;

    /** Partitions of a run-scoped topic: all of a run lives on one, so they bound how many runs progress in parallel. */
    public static final int RUN_PARTITIONS = 4;

    /**
     * A header on every record of a commands topic: the command's action (EXECUTE or CANCEL),
     * so that a worker watching for cancels skips the rest without decoding them.
     */
    public static final String COMMAND_ACTION_HEADER = "stagecoach-action";

    private final String prefix;

    public Topics(String prefix) {
        this.prefix = prefix;
    }

    public String pipelines() {
        return prefix + "pipelines";
    }

    public String runRequests() {
        return prefix + "run-requests";
    }

    public String commands(String pool) {
        return prefix + "commands." + pool;
    }

    public String results() {
        return prefix + "results";
    }

    public String control() {
        return prefix + "control";
    }

    public String runEvents() {
        return prefix + "run-events";
    }

    public String runs() {
        return prefix + "runs";
    }

    public String notifications() {
        return prefix + "notifications";
    }

    public String logs() {
        return prefix + "logs";
    }

    public String metrics() {
        return prefix + "metrics";
    }

    public String deadLetters() {
        return prefix + "dead-letters";
    }

    /** The names of the topics a fresh installation needs, for the worker pool {@code default}. */
    public java.util.List<String> all() {
        return specs().stream().map(TopicSpec::name).toList();
    }

    /**
     * The topics a fresh installation needs, for the worker pool {@code default}, as they are
     * created: the local stack, the scheduler and docker-compose's topic list follow this.
     */
    public java.util.List<TopicSpec> specs() {
        return java.util.List.of(
                // One partition: registrations are few, and one partition keeps them in order.
                new TopicSpec(pipelines(), 1, true),
                run(runRequests()),
                commandsSpec("default", COMMAND_PARTITIONS),
                run(results()),
                run(control()),
                run(runEvents()),
                new TopicSpec(runs(), RUN_PARTITIONS, true),
                run(notifications()),
                run(logs()),
                run(metrics()),
                run(deadLetters()));
    }

    /** The commands topic of a worker pool. */
    public TopicSpec commandsSpec(String pool, int partitions) {
        return new TopicSpec(commands(pool), partitions, false);
    }

    private static TopicSpec run(String name) {
        return new TopicSpec(name, RUN_PARTITIONS, false);
    }
}
