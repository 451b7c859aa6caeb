package dev.stagecoach.scheduler.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagecoach.scheduler.api.EngineNotReadyException;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads the topics that registered pipelines' event triggers name and requests a run for
 * each record that passes a trigger's filter. Delivery is at least once: a batch's offsets
 * are committed only after the broker has every run request (and dead letter) it caused, so
 * a crash or a rebalance reads some records again. Each run id derives from the pipeline and
 * the record's topic, partition and offset, so a record read again starts no second run.
 *
 * <p>The topics follow the registrations, looked at every refresh. A partition this group has
 * no offset for yet is read from the first record written after the earliest registration of
 * a pipeline that watches its topic: a new trigger acts on what comes after it, not on the
 * topic's history, and not only on what comes after the consumer caught up.
 */
public final class EventTriggerFeed implements Runnable {

    /** What the feed hands on; each method returns once the broker has what it wrote. */
    public interface Handler {

        void request(RegisteredPipelines.Registered pipeline, String runId, String requestedBy);

        void unreadable(ConsumerRecord<String, byte[]> record, String reason);
    }

    private static final Logger LOG = Logger.getLogger(EventTriggerFeed.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<String, byte[]> consumer;
    private final Supplier<List<RegisteredPipelines.Registered>> pipelines;
    private final Handler handler;
    private final long refreshNanos;
    private volatile boolean stopping;
    private volatile Set<String> reading = Set.of();
    private EventRoutes routes = EventRoutes.of(List.of());
    private long refreshedAt;

    /**
     * @param pipelines the registered pipelines; may throw {@link EngineNotReadyException}, and the feed asks again
     * @param refresh how often the registrations are looked at for topics to start or stop reading
     */
    public EventTriggerFeed(Consumer<String, byte[]> consumer, Supplier<List<RegisteredPipelines.Registered>> pipelines,
                            Duration refresh, Handler handler) {
        this.consumer = consumer;
        this.pipelines = pipelines;
        this.refreshNanos = refresh.toNanos();
        this.handler = handler;
    }

    /** The topics the feed reads now. */
    public Set<String> reading() {
        return reading;
    }

    /** Leaves the group and closes the consumer within a poll; a batch being handled is not committed and is read again. */
    public void stop() {
        stopping = true;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            refreshedAt = System.nanoTime() - refreshNanos;
            while (!stopping) {
                if (System.nanoTime() - refreshedAt >= refreshNanos) {
                    refresh();
                }
                if (reading.isEmpty()) {
                    LockSupport.parkNanos(POLL.toNanos());
                    continue;
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    handle(records);
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                LOG.error("event trigger feed woken up unexpectedly; event triggers start no more runs", e);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "event trigger feed stopped; event triggers start no more runs");
        } finally {
            reading = Set.of();
            consumer.close();
        }
    }

    private void refresh() {
        refreshedAt = System.nanoTime();
        try {
            routes = EventRoutes.of(pipelines.get());
        } catch (EngineNotReadyException e) {
            return;
        }
        Set<String> topics = Set.copyOf(routes.topics());
        if (topics.equals(reading)) {
            return;
        }
        if (topics.isEmpty()) {
            consumer.unsubscribe();
        } else {
            consumer.subscribe(topics, new StartAfterRegistration());
        }
        LOG.infof("event triggers read %s", topics.isEmpty() ? "no topic" : String.join(", ", topics));
        reading = topics;
    }

    private void handle(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                try {
                    handle(record);
                } catch (RuntimeException e) {
                    LOG.errorf("event trigger: %s-%d@%d is read again: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
                    consumer.seek(partition, record.offset());
                    break;
                }
                handled.put(partition, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        if (handled.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(handled);
        } catch (CommitFailedException | RebalanceInProgressException | RetriableException e) {
            // Whoever owns the partitions now reads these records again; their run ids make that harmless.
            LOG.debugf("event trigger offsets not committed, the records will be read again: %s", e.getMessage());
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone says that something is gone; it is no event to start a run for
        }
        JsonNode value;
        try {
            value = JsonDocuments.parse(record.value());
        } catch (IOException e) {
            handler.unreadable(record, "record value is not JSON, which event trigger filters read: " + JsonDocuments.problem(e));
            return;
        }
        for (RegisteredPipelines.Registered pipeline : routes.matching(record.topic(), value)) {
            handler.request(pipeline, EventRoutes.runId(pipeline.name(), record.topic(), record.partition(), record.offset()),
                    "event:" + record.topic() + "/" + record.partition() + "@" + record.offset());
        }
    }

    private final class StartAfterRegistration implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing to commit: every batch is committed as soon as it is handled.
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            Map<TopicPartition, Long> fresh = new HashMap<>();
            for (TopicPartition partition : partitions) {
                if (committed.get(partition) == null) {
                    fresh.put(partition, routes.watchedSince(partition.topic()).toEpochMilli());
                }
            }
            if (fresh.isEmpty()) {
                return;
            }
            // The ends first: a record written between the two look-ups is then found by one of them.
            Map<TopicPartition, Long> ends = consumer.endOffsets(fresh.keySet());
            Map<TopicPartition, OffsetAndTimestamp> first = consumer.offsetsForTimes(fresh);
            for (TopicPartition partition : fresh.keySet()) {
                OffsetAndTimestamp at = first.get(partition);
                consumer.seek(partition, at != null ? at.offset() : ends.get(partition));
            }
        }
    }
}
