package dev.stagecoach.scheduler.topics;

import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.events.Topic;
import dev.stagecoach.pipeline.LoadResult;
import dev.stagecoach.scheduler.pipelines.PipelineRevisions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.jboss.logging.Logger;

/**
 * The worker pools of every pipeline on the pipelines topic, read straight from the topic: at
 * start the engine's stores are not ready yet, and pipelines registered by a scheduler that
 * did not create commands topics may name pools whose topic is missing.
 */
public final class RegisteredPools {

    private static final Logger LOG = Logger.getLogger(RegisteredPools.class);

    private RegisteredPools() {
    }

    /**
     * The pools of the latest registration of each pipeline; empty when the topic does not exist.
     *
     * @param clientSettings the {@code kafka.*} settings of the consumer that reads it
     * @param revisions where the registrations are parsed, so that the engine finds them parsed when their runs come
     */
    public static SortedSet<String> read(Map<String, Object> clientSettings, Topic<PipelineRegistered> pipelines, Duration within, PipelineRevisions revisions) {
        Map<String, Object> config = new HashMap<>(clientSettings);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, byte[]> latest = new HashMap<>();
        // Bytes first, decoded once the topic is read: only the latest registration of each pipeline counts.
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, pipelines.keySerde().deserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(pipelines.name(), within);
            if (infos == null || infos.isEmpty()) {
                return new TreeSet<>();
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, within);
            Instant giveUp = Instant.now().plus(within);
            while (!partitions.stream().allMatch(p -> consumer.position(p, within) >= ends.get(p))) {
                if (Instant.now().isAfter(giveUp)) {
                    throw new IllegalStateException(pipelines.name() + " was not read to its end within " + within.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(record.key(), record.value());
                }
            }
        }
        Deserializer<PipelineRegistered> registrations = pipelines.valueSerde().deserializer();
        SortedSet<String> pools = new TreeSet<>();
        latest.forEach((name, bytes) -> {
            if (bytes == null) {
                return;
            }
            PipelineRegistered registered = registrations.deserialize(pipelines.name(), bytes);
            LoadResult loaded = revisions.loaded(name, registered.getRevision(), registered.getYaml());
            if (loaded.ok()) {
                pools.addAll(CommandTopics.poolsOf(loaded.orThrow()));
            } else {
                LOG.warnf("pipeline %s revision %d does not load, its pools are not looked at: %s",
                        name, registered.getRevision(), loaded.errors());
            }
        });
        return pools;
    }
}
