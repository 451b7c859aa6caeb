package dev.stagecoach.notifier;

import dev.stagecoach.events.DeliveryState;
import dev.stagecoach.events.Notification;
import dev.stagecoach.events.NotificationDelivered;
import dev.stagecoach.events.Topic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.jboss.logging.Logger;

/**
 * Each dedupe id's last word on a compacted topic keyed by dedupe id: SENDING before the first
 * attempt, DELIVERED once the receiver accepted it, a tombstone when it was given up. At start
 * it reads the topic from the beginning into memory before the dispatcher may deliver, so a
 * notifier killed between a delivery and its offset commit skips what it sent, and knows which
 * deliveries were under way at the kill (sent and not answered, or answered and not recorded):
 * those, and only those, may have arrived. It keeps reading afterwards, so that what another
 * instance did is known when a rebalance hands its partitions over. The notification's offset
 * is acknowledged only once the broker has the end of its delivery.
 */
public final class KafkaDeliveredLedger implements DeliveredLedger, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaDeliveredLedger.class);

    private final RecentlyDelivered index;
    private final Topic<NotificationDelivered> topic;
    private final Deserializer<NotificationDelivered> values;
    private final Map<String, Object> clientConfig;
    private final Clock clock;
    private final KafkaProducer<String, NotificationDelivered> producer;
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private final Thread reader;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean closed;

    /** @param clientConfig bootstrap servers and whatever else every client of this service needs */
    public KafkaDeliveredLedger(Map<String, Object> clientConfig, Topic<NotificationDelivered> topic, int capacity, Clock clock) {
        this.index = new RecentlyDelivered(capacity, clock);
        this.topic = topic;
        this.values = topic.valueSerde().deserializer();
        this.clientConfig = Map.copyOf(clientConfig);
        this.clock = clock;
        Map<String, Object> producerConfig = new HashMap<>(clientConfig);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // The acknowledgement of a notification waits for this record: do not wait for a batch to fill.
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(producerConfig, topic.keySerde().serializer(), topic.valueSerde().serializer());
        this.reader = new Thread(this::read, "notifier-delivered-ledger");
        this.reader.setDaemon(true);
    }

    public KafkaDeliveredLedger start() {
        reader.start();
        return this;
    }

    @Override
    public CompletionStage<Void> ready() {
        return loaded;
    }

    @Override
    public boolean contains(String dedupeId) {
        return index.contains(dedupeId);
    }

    @Override
    public Optional<Instant> unfinishedSince(String dedupeId) {
        return index.unfinishedSince(dedupeId);
    }

    @Override
    public CompletionStage<Void> begin(Notification notification) {
        return write(notification.getDedupeId(), state(notification, DeliveryState.SENDING));
    }

    @Override
    public CompletionStage<Void> record(Notification delivered) {
        index.add(delivered.getDedupeId());
        return write(delivered.getDedupeId(), state(delivered, DeliveryState.DELIVERED));
    }

    @Override
    public CompletionStage<Void> forget(Notification givenUp) {
        index.cleared(givenUp.getDedupeId());
        return write(givenUp.getDedupeId(), null);
    }

    private NotificationDelivered state(Notification notification, DeliveryState state) {
        return NotificationDelivered.newBuilder()
                .setDedupeId(notification.getDedupeId())
                .setRunId(notification.getRunId())
                .setChannel(DeliveryMetrics.tag(notification.getChannel()))
                .setDeliveredAt(clock.instant())
                .setState(state)
                .build();
    }

    private CompletionStage<Void> write(String dedupeId, NotificationDelivered value) {
        CompletableFuture<Void> kept = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic.name(), dedupeId, value), (metadata, error) ->
                // Off the producer's I/O thread: what follows acknowledges the notification and starts the next.
                CompletableFuture.runAsync(() -> {
                    if (error == null) {
                        kept.complete(null);
                    } else {
                        kept.completeExceptionally(error);
                    }
                }));
        return kept;
    }

    /** How many delivered ids are in memory. */
    int size() {
        return index.size();
    }

    /** How many begun and unsettled ids are in memory. */
    int unfinished() {
        return index.unfinished();
    }

    private void read() {
        try {
            ensureTopic();
            Map<String, Object> config = new HashMap<>(clientConfig);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
            // Values as bytes: a record that is no NotificationDelivered is skipped, not the end of reading.
            try (KafkaConsumer<String, byte[]> reading = new KafkaConsumer<>(config,
                    topic.keySerde().deserializer(), new ByteArrayDeserializer())) {
                consumer = reading;
                if (closed) {
                    return;
                }
                List<TopicPartition> partitions = partitions(reading);
                reading.assign(partitions);
                reading.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = reading.endOffsets(partitions);
                while (!closed) {
                    for (ConsumerRecord<String, byte[]> record : reading.poll(Duration.ofMillis(200))) {
                        remember(record);
                    }
                    if (!loaded.isDone() && partitions.stream().allMatch(p -> reading.position(p) >= end.get(p))) {
                        LOG.infof("delivered notifications read back topic=%s ids=%d unfinished=%d", topic.name(),
                                index.size(), index.unfinished());
                        loaded.complete(null);
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the consumer up.
        } catch (RuntimeException e) {
            // Without its memory the notifier could deliver twice: it stops delivering instead.
            LOG.errorf(e, "cannot read the delivered notifications from %s; nothing will be delivered", topic.name());
            loaded.completeExceptionally(e);
        }
    }

    private void remember(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            skipped(record, "it has no key");
            return;
        }
        NotificationDelivered value;
        try {
            value = record.value() == null ? null : values.deserialize(topic.name(), record.value());
        } catch (RuntimeException e) {
            skipped(record, "its value is no NotificationDelivered: " + e.getMessage());
            return;
        }
        String dedupeId = record.key();
        if (value == null) {
            index.cleared(dedupeId);
        } else if (value.getState() == DeliveryState.DELIVERED) {
            index.add(dedupeId);
        } else {
            index.begun(dedupeId, value.getDeliveredAt());
        }
    }

    /**
     * Only the notifier writes this topic; what else lands there cannot say anything was
     * delivered, so it is left out, and reading goes on.
     */
    private void skipped(ConsumerRecord<String, byte[]> record, String why) {
        LOG.warnf("record skipped topic=%s partition=%d offset=%d reason=\"%s\"", record.topic(), record.partition(),
                record.offset(), why);
    }

    /** A topic just created may not be in the metadata yet: an empty answer would make an empty memory look complete. */
    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> reading) {
        while (!closed) {
            List<TopicPartition> partitions = reading.partitionsFor(topic.name(), Duration.ofMinutes(1)).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            if (!partitions.isEmpty()) {
                return partitions;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        return List.of();
    }

    /**
     * The local stack and docker-compose create the topic; a deployment that forgot would get
     * it auto-created without compaction, which would forget delivered ids with its retention.
     */
    private void ensureTopic() {
        try (Admin admin = Admin.create(clientConfig)) {
            admin.createTopics(List.of(new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.empty())
                    .configs(Map.of("cleanup.policy", topic.cleanupPolicy().configValue())))).all().get();
            LOG.infof("created topic %s (%s)", topic.name(), topic.cleanupPolicy().name().toLowerCase(Locale.ROOT));
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        KafkaConsumer<String, byte[]> reading = consumer;
        if (reading != null) {
            reading.wakeup();
        }
        try {
            reader.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
