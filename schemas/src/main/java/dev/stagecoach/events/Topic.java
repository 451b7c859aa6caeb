package dev.stagecoach.events;

import dev.stagecoach.events.serde.Serdes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic as Stagecoach writes, reads and creates it: its name, the type of its values (and
 * so their serde), how many partitions, its cleanup policy and, where the broker's default would
 * not do, how long its records are kept. Code that touches a topic takes
 * all of these from here, and the services' channel properties are tested against it, so that a
 * writer and a reader cannot disagree on the format, nor two deployments on the layout. Keys
 * are strings on every topic (a run id, a pipeline's name, a metric's name).
 */
public record Topic<V>(String name, Class<V> valueType, int partitions, CleanupPolicy cleanupPolicy, Duration retention) {

    /** What the broker does with old records: delete them after retention, or keep the last one per key. */
    public enum CleanupPolicy {
        DELETE, COMPACT;

        /** The value of the topic's {@code cleanup.policy} config. */
        public String configValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The topic-level config of how long records are kept. */
    public static final String RETENTION_MS = "retention.ms";

    public Topic {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a topic needs a name");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1, not " + partitions);
        }
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("topic " + name + ": the retention must be positive, not " + retention);
        }
        // Fails where the topic is declared rather than at its first record.
        if (!Serdes.known(valueType)) {
            throw new IllegalArgumentException("topic " + name + ": no serde for values of type " + valueType.getName());
        }
    }

    /** A topic whose records are kept for the broker's default retention ({@code log.retention.*}). */
    public Topic(String name, Class<V> valueType, int partitions, CleanupPolicy cleanupPolicy) {
        this(name, valueType, partitions, cleanupPolicy, null);
    }

    public Serde<String> keySerde() {
        return org.apache.kafka.common.serialization.Serdes.String();
    }

    /** The serde of this topic's values; shared, since it holds nothing but the type's schemas. */
    public Serde<V> valueSerde() {
        return Serdes.of(valueType);
    }

    /** The same topic laid out with another number of partitions, e.g. as a deployment configures it. */
    public Topic<V> withPartitions(int count) {
        return new Topic<>(name, valueType, count, cleanupPolicy, retention);
    }

    /** The same topic with its records kept for {@code period}, e.g. as a deployment configures it. */
    public Topic<V> withRetention(Duration period) {
        return new Topic<>(name, valueType, partitions, cleanupPolicy, period);
    }

    /** The topic-level configs it is created with; {@code retention.ms} only where the topic has a retention of its own. */
    public Map<String, String> configs(int minInsyncReplicas) {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", cleanupPolicy.configValue());
        configs.put("min.insync.replicas", String.valueOf(minInsyncReplicas));
        if (retention != null) {
            configs.put(RETENTION_MS, String.valueOf(retention.toMillis()));
        }
        return configs;
    }
}
