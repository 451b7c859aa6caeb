package dev.stagecoach.worker;

import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Every worker of a pool reads every cancel command of the pool, outside the consumer group:
 * the attempt to stop runs on whichever worker claimed it, and the partition that carries the
 * cancel may belong to another worker by then, or to a worker whose slots are all busy.
 * Reads from the end of the topic when it starts, since only attempts running now can be stopped.
 */
public final class CancelWatcher implements Runnable {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final String EXECUTE = CommandAction.EXECUTE.name();

    private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private final String topic;
    private final Deserializer<StageCommand> commands;
    private final Consumer<StageCommand> cancel;
    private volatile boolean stopping;
    private volatile boolean watching;

    public CancelWatcher(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, Topic<StageCommand> topic,
                         Consumer<StageCommand> cancel) {
        this.consumer = consumer;
        this.topic = topic.name();
        this.commands = topic.valueSerde().deserializer();
        this.cancel = cancel;
    }

    /** True once the watcher reads every partition of the topic. */
    public boolean watching() {
        return watching;
    }

    public void stop() {
        stopping = true;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(PartitionInfo::partition).map(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            watching = true;
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (markedExecute(record)) {
                        continue;
                    }
                    StageCommand command = readable(record);
                    if (command != null && command.getAction() == CommandAction.CANCEL) {
                        cancel.accept(command);
                    }
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
        } finally {
            consumer.close();
        }
    }

    /** Every worker reads every command here; only cancels are worth decoding. Unmarked records (older engines) are decoded. */
    private static boolean markedExecute(ConsumerRecord<String, byte[]> record) {
        Header action = record.headers().lastHeader(Topics.COMMAND_ACTION_HEADER);
        return action != null && EXECUTE.equals(new String(action.value(), StandardCharsets.US_ASCII));
    }

    // Unreadable records are the command feed's to dead-letter; here they are only skipped.
    private StageCommand readable(ConsumerRecord<String, byte[]> record) {
        try {
            return record.value() == null ? null : commands.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
