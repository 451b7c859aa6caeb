package dev.stagecoach.events;

/**
 * Topic names, in one place. Every name takes the installation's prefix (default
 * {@code stagecoach.}) so that several installations can share one cluster.
 */
public final class Topics {

    public static final String DEFAULT_PREFIX = "stagecoach.";

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

    /** The topics a fresh installation needs, for the worker pool {@code default}. */
    public java.util.List<String> all() {
        return java.util.List.of(pipelines(), runRequests(), commands("default"), results(), control(),
                runEvents(), runs(), notifications(), logs(), metrics(), deadLetters());
    }
}
