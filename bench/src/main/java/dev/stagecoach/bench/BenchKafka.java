package dev.stagecoach.bench;

import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.RunSnapshot;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.events.TriggerType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The bench's own Kafka clients and admin chores, all against the one broker of the run. */
final class BenchKafka implements AutoCloseable {

    private final Map<String, Object> client;
    private final Admin admin;
    private final KafkaProducer<String, RunRequested> requests;
    private final Topic<RunRequested> runRequests = new Topics(Topics.DEFAULT_PREFIX).runRequests();

    /** @param client what every client needs to reach the stack's Kafka: bootstrap.servers and any security settings */
    BenchKafka(Map<String, Object> client) {
        this.client = Map.copyOf(client);
        this.admin = Admin.create(client);
        this.requests = new KafkaProducer<>(producerConfig(), runRequests.keySerde().serializer(), runRequests.valueSerde().serializer());
    }

    /** Plain producer settings as the worker has them: acks=all, no lingering. */
    Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return config;
    }

    /**
     * Settings of a consumer that assigns partitions itself (no group, no rebalance to disturb
     * the services). fetch.max.wait.ms only bounds a fetch that finds nothing to return: the
     * broker answers a waiting fetch as soon as records arrive.
     */
    Map<String, Object> consumerConfig(boolean readCommitted, int fetchMaxWaitMs) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWaitMs);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        return config;
    }

    /** Asks the engine for a run, as any other system may: a RunRequested keyed by its run id. */
    void requestRun(String pipeline, String runId) {
        requests.send(new ProducerRecord<>(runRequests.name(), runId, RunRequested.newBuilder()
                        .setRunId(runId)
                        .setPipeline(pipeline)
                        .setTrigger(TriggerType.EVENT)
                        .setRequestedBy("bench")
                        .setRequestedAt(Instant.now())
                        .build()));
    }

    void flush() {
        requests.flush();
    }

    void createTopics(int partitions, String... names) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        for (var result : admin.createTopics(topics).values().values()) {
            try {
                result.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create bench topics: " + e.getCause().getMessage(), e);
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot create bench topics: " + e, e);
            }
        }
    }

    List<TopicPartition> partitions(String... topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        try {
            admin.describeTopics(List.of(topics)).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) ->
                    description.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe topics " + List.of(topics) + ": " + e, e);
        }
        return partitions;
    }

    /** Runs on the compacted runs topic: whose latest record is a snapshot (held), and whose a tombstone (forgotten). */
    record RunsOnTopic(long held, long forgotten) {
    }

    RunsOnTopic runsOnTopic(Topic<RunSnapshot> runs) {
        Map<String, Boolean> latestIsSnapshot = new HashMap<>();
        // Bytes: whether a record is a snapshot or a tombstone needs no decoding.
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(true, 10),
                runs.keySerde().deserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(runs.name());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < giveUp) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> latestIsSnapshot.put(r.key(), r.value() != null));
            }
        }
        long held = latestIsSnapshot.values().stream().filter(Boolean::booleanValue).count();
        return new RunsOnTopic(held, latestIsSnapshot.size() - held);
    }

    /** The sum of the end offsets of each topic, internal ones included: how many log entries each holds so far. */
    Map<String, Long> endOffsets() {
        try {
            var names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicPartition partition : partitions(names.toArray(String[]::new))) {
                latest.put(partition, OffsetSpec.latest());
            }
            Map<String, Long> ends = new TreeMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
                    .forEach((partition, info) -> ends.merge(partition.topic(), info.offset(), Long::sum));
            return ends;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read end offsets: " + e, e);
        }
    }

    /** The broker's finalized feature levels (metadata.version, transaction.version, ...). */
    Map<String, Short> features() {
        try {
            Map<String, Short> levels = new TreeMap<>();
            admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS).finalizedFeatures()
                    .forEach((name, range) -> levels.put(name, range.maxVersionLevel()));
            return levels;
        } catch (Exception e) {
            return Map.of();
        }
    }

    /** Assigns the partitions and moves to their ends, so the consumer sees only what comes next. */
    static void assignAtEnd(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** Waits until the consumer group has {@code members} members and a settled assignment. */
    void awaitGroup(String group, int members, Duration within) {
        long giveUp = System.nanoTime() + within.toNanos();
        String last = "not described yet";
        while (System.nanoTime() < giveUp) {
            try {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                        .describedGroups().get(group).get(10, TimeUnit.SECONDS);
                boolean assigned = description.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
                if (description.groupState() == GroupState.STABLE && description.members().size() == members && assigned) {
                    return;
                }
                last = description.groupState() + " with " + description.members().size() + " members";
            } catch (Exception e) {
                last = e.toString();
            }
            Bench.pause(Duration.ofMillis(200));
        }
        throw new IllegalStateException("group " + group + " did not settle with " + members + " members within "
                + within.toSeconds() + " s (last seen: " + last + ")");
    }

    @Override
    public void close() {
        requests.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
