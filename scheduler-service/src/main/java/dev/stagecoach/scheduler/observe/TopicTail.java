package dev.stagecoach.scheduler.observe;

import dev.stagecoach.events.DeadLetters;
import dev.stagecoach.events.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads every partition of one topic, from its first record on or from what is written next,
 * and keeps reading, handing each value (null for a tombstone) to a reader. There is no consumer group: every scheduler
 * instance sees everything, so any instance can answer a list or follow a log. A record it
 * cannot read is dead-lettered (once per instance that reads it) and skipped.
 */
final class TopicTail<V> implements Runnable {

    interface Reader<V> {
        void read(String key, V value);
    }

    private static final Logger LOG = Logger.getLogger(TopicTail.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Topic<V> topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<V> values;
    private final Reader<V> reader;
    private final Consumer<ProducerRecord<String, byte[]>> deadLetters;
    private final String deadLetterTopic;
    private final String name;
    private final boolean fromStart;
    private volatile boolean stopping;

    /** @param fromStart true reads what the topic holds first; false only what is written after the start */
    TopicTail(String name, Topic<V> topic, boolean fromStart, Map<String, Object> clientSettings, Reader<V> reader,
              String deadLetterTopic, Consumer<ProducerRecord<String, byte[]>> deadLetters) {
        this.name = name;
        this.fromStart = fromStart;
        this.topic = topic;
        this.reader = reader;
        this.deadLetterTopic = deadLetterTopic;
        this.deadLetters = deadLetters;
        this.values = topic.valueSerde().deserializer();
        Map<String, Object> settings = new java.util.HashMap<>(clientSettings);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Only what the engine and the workers committed: an aborted write never happened.
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        this.consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Starts the reading thread. */
    Thread start() {
        Thread thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    void stop() {
        stopping = true;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            if (fromStart) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    hand(record);
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s stopped reading %s; lists, logs and live views are stale until the scheduler restarts", name, topic.name());
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (!stopping) {
            List<PartitionInfo> found = consumer.partitionsFor(topic.name(), Duration.ofSeconds(5));
            if (found != null && !found.isEmpty()) {
                return found.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            LOG.debugf("%s waits for topic %s to exist", name, topic.name());
        }
        throw new WakeupException();
    }

    private void hand(ConsumerRecord<String, byte[]> record) {
        V value;
        try {
            value = record.value() == null ? null : values.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            String reason = "record value is not readable as a " + topic.valueType().getSimpleName() + ": " + DeadLetters.describe(e);
            RecordHeaders headers = new RecordHeaders(record.headers().toArray());
            DeadLetters.addTo(headers, reason, record.topic(), record.partition(), record.offset(), name);
            deadLetters.accept(new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers));
            LOG.warnf("%s dead-lettered topic=%s partition=%d offset=%d reason=\"%s\"", name, record.topic(),
                    record.partition(), record.offset(), reason);
            return;
        }
        try {
            reader.read(record.key(), value);
        } catch (RuntimeException e) {
            // A view that cannot take one record must not stop taking the next ones.
            LOG.warnf(e, "%s skipped topic=%s partition=%d offset=%d", name, record.topic(), record.partition(), record.offset());
        }
    }
}
