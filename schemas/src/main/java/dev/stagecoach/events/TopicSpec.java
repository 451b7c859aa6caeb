package dev.stagecoach.events;

/**
 * A topic as Stagecoach creates it: its name, how many partitions, and whether it is compacted
 * (keeps the last record per key) or deletes by retention.
 */
public record TopicSpec(String name, int partitions, boolean compacted) {

    public TopicSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a topic needs a name");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1, not " + partitions);
        }
    }

    /** The topic's {@code cleanup.policy}. */
    public String cleanupPolicy() {
        return compacted ? "compact" : "delete";
    }
}
