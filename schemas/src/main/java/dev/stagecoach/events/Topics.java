package dev.stagecoach.events;

import dev.stagecoach.events.Topic.CleanupPolicy;
import dev.stagecoach.pipeline.StageSpec;
import java.time.Duration;
import java.util.List;

/**
 * Every topic of Stagecoach, in one place: its name, the type of its values and its layout.
 * Every name takes the installation's prefix (default {@code stagecoach.}) so that several
 * installations can share one cluster.
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

    /**
     * How long the audit topic keeps its entries unless {@code stagecoach.audit.retention} says
     * otherwise: a year, since who did what is asked long after the broker's default week.
     */
    public static final Duration AUDIT_RETENTION = Duration.ofDays(365);

    private final String prefix;

    public Topics(String prefix) {
        this.prefix = prefix;
    }

    /** Compacted, one partition: registrations are few, and one partition keeps them in order. */
    public Topic<PipelineRegistered> pipelines() {
        return new Topic<>(prefix + "pipelines", PipelineRegistered.class, 1, CleanupPolicy.COMPACT);
    }

    public Topic<RunRequested> runRequests() {
        return deleting("run-requests", RunRequested.class);
    }

    /** The commands topic of a worker pool; every pool's carries the same type. */
    public Topic<StageCommand> commands(String pool) {
        return new Topic<>(prefix + "commands." + pool, StageCommand.class, COMMAND_PARTITIONS, CleanupPolicy.DELETE);
    }

    public Topic<StageResult> results() {
        return deleting("results", StageResult.class);
    }

    public Topic<Control> control() {
        return deleting("control", Control.class);
    }

    public Topic<RunEvent> runEvents() {
        return deleting("run-events", RunEvent.class);
    }

    /** Compacted: the last snapshot of each run, and a tombstone once the engine forgets it. */
    public Topic<RunSnapshot> runs() {
        return new Topic<>(prefix + "runs", RunSnapshot.class, RUN_PARTITIONS, CleanupPolicy.COMPACT);
    }

    public Topic<Notification> notifications() {
        return deleting("notifications", Notification.class);
    }

    /**
     * Compacted, keyed by dedupe id: what the notifier delivered, kept beyond its consumer
     * offsets so that a notifier killed between a delivery and its offset commit does not
     * deliver again.
     */
    public Topic<NotificationDelivered> notificationsDelivered() {
        return new Topic<>(prefix + "notifications.delivered", NotificationDelivered.class, RUN_PARTITIONS, CleanupPolicy.COMPACT);
    }

    public Topic<LogBatch> logs() {
        return deleting("logs", LogBatch.class);
    }

    /** Keyed by metric name, not by run. */
    public Topic<MetricSample> metrics() {
        return deleting("metrics", MetricSample.class);
    }

    /**
     * Keyed by pipeline name: every privileged action the API accepted (register, start,
     * cancel, approve, reject, resume), with who did it and with which token; kept for
     * {@link #AUDIT_RETENTION}, which the scheduler's {@code stagecoach.audit.retention} overrides.
     */
    public Topic<AuditEntry> audit() {
        return deleting("audit", AuditEntry.class).withRetention(AUDIT_RETENTION);
    }

    /** The original bytes of records their consumer could not read; the headers say why ({@link DeadLetters}). */
    public Topic<byte[]> deadLetters() {
        return deleting("dead-letters", byte[].class);
    }

    /**
     * The topics a fresh installation needs, with the commands topic of the pool
     * {@value StageSpec#DEFAULT_POOL}, as they are created: the local stack and
     * docker-compose's topic list follow this.
     */
    public List<Topic<?>> all() {
        return List.of(pipelines(), runRequests(), commands(StageSpec.DEFAULT_POOL), results(), control(), runEvents(),
                runs(), notifications(), notificationsDelivered(), logs(), metrics(), audit(), deadLetters());
    }

    /** Deletes by retention, with {@link #RUN_PARTITIONS} partitions: the layout of every topic but pipelines, runs and commands. */
    private <V> Topic<V> deleting(String name, Class<V> valueType) {
        return new Topic<>(prefix + name, valueType, RUN_PARTITIONS, CleanupPolicy.DELETE);
    }
}
