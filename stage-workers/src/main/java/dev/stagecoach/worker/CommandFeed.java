package dev.stagecoach.worker;

import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.Deserializer;
import org.jboss.logging.Logger;

/**
 * Pulls a pool's stage commands and claims each one before it runs. The claim is a synchronous
 * commit of the record's offset: Kafka hands a partition's uncommitted records to its next owner
 * after a rebalance, so a worker joining or leaving the group could otherwise make two workers
 * run the same attempt. A commit only succeeds for the partition's current owner, so at most one
 * worker starts each command. A claimed command whose worker dies is the engine's to retry: its
 * heartbeat deadline declares the attempt lost.
 *
 * <p>Commands are claimed only as far as this instance has room: its slots, plus as many again
 * waiting in hand so that a slot that frees has its next command at once instead of a poll and
 * a commit later. The rest stay unclaimed on the topic, where another instance can take them.
 */
public final class CommandFeed implements Runnable {

    /** What the feed hands its commands to. */
    public interface Handler {

        /** Runs the attempt to its end, on one of the feed's slots. */
        void execute(StageCommand command);

        /** Keeps a record that is no stage command somewhere an operator can read it; returns once it is kept. */
        void unreadable(ConsumerRecord<String, byte[]> record, Exception why);
    }

    private static final Logger LOG = Logger.getLogger(CommandFeed.class);
    private static final Duration POLL = Duration.ofMillis(100);
    // While every slot is busy the feed still polls, to stay in the group, but checks often for a free slot.
    private static final Duration POLL_WHILE_FULL = Duration.ofMillis(10);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Deserializer<StageCommand> commands;
    private final Handler handler;
    private final ExecutorService slotThreads;
    private final Semaphore slots;
    private volatile boolean stopping;
    private volatile boolean joined;

    /**
     * @param consumer reads the values as bytes: the feed decodes them itself, so that a record
     *     that is no command goes to the handler instead of failing the poll
     * @param slotThreads runs at most {@code slots} commands at once and queues the ones in hand
     */
    public CommandFeed(Consumer<String, byte[]> consumer, Topic<StageCommand> topic, int slots, ExecutorService slotThreads,
                       Handler handler) {
        this.consumer = consumer;
        this.topic = topic.name();
        this.commands = topic.valueSerde().deserializer();
        this.handler = handler;
        this.slotThreads = slotThreads;
        this.slots = new Semaphore(inHand(slots));
    }

    /** How many commands an instance with this many slots claims at most: running and waiting together. */
    public static int inHand(int slots) {
        return 2 * slots;
    }

    /** True once the feed has joined its consumer group, whatever partitions it was given. */
    public boolean joined() {
        return joined;
    }

    /**
     * Asks the polling thread to leave the group and close the consumer within a poll; the
     * commands it claimed run to their end, then the slot threads stop. No wakeup: one could break into a claim whose commit then may or may
     * not have happened, and the commands it claimed would run nowhere.
     */
    public void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // Nothing to commit: every command taken from these partitions was claimed before it ran.
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                joined = true;
            }
        });
        try {
            while (!stopping) {
                boolean full = slots.availablePermits() == 0;
                if (full) {
                    consumer.pause(consumer.assignment());
                } else if (!consumer.paused().isEmpty()) {
                    consumer.resume(consumer.paused());
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(full ? POLL_WHILE_FULL : POLL);
                if (!records.isEmpty()) {
                    claimAndDispatch(records);
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "command feed of %s stopped; this worker takes no more commands", topic);
        } finally {
            joined = false; // so that the readiness check reports it
            consumer.close();
            // Shut down here, not by whoever called stop(): the last batch claimed before the
            // loop ended must still reach the threads. Commands in hand run to their end.
            slotThreads.shutdown();
        }
    }

    private void claimAndDispatch(ConsumerRecords<String, byte[]> records) {
        int free = slots.availablePermits();
        Map<TopicPartition, OffsetAndMetadata> claims = new HashMap<>();
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        List<StageCommand> claimed = new ArrayList<>();
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                StageCommand command = decode(record);
                boolean needsSlot = command != null && command.getAction() != CommandAction.CANCEL;
                if (needsSlot && free == 0) {
                    // Left unclaimed: read again when a slot frees, or by whoever owns the partition then.
                    consumer.seek(partition, record.offset());
                    break;
                }
                if (needsSlot) {
                    free--;
                }
                if (command != null) {
                    claimed.add(command);
                }
                firstOffsets.putIfAbsent(partition, record.offset());
                claims.put(partition, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        if (claims.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(claims);
        } catch (CommitFailedException | RebalanceInProgressException | RetriableException e) {
            // The partitions may have a new owner already; it reads these records from the last claim.
            // A commit that timed out may still have landed: then they run nowhere until the engine's deadline retries them.
            firstOffsets.forEach((partition, offset) -> {
                if (consumer.assignment().contains(partition)) {
                    consumer.seek(partition, offset);
                }
            });
            LOG.debugf("claim of %d commands lost to a rebalance: %s", claimed.size(), e.getMessage());
            return;
        }
        for (StageCommand command : claimed) {
            dispatch(command);
        }
    }

    private StageCommand decode(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.value() == null) {
                throw new IllegalArgumentException("the record has no value");
            }
            return commands.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            handler.unreadable(record, e);
            return null;
        }
    }

    private void dispatch(StageCommand command) {
        if (command.getAction() == CommandAction.CANCEL) {
            return; // every worker's CancelWatcher reads it
        }
        slots.acquireUninterruptibly();
        slotThreads.execute(() -> {
            try {
                handler.execute(command);
            } catch (RuntimeException e) {
                LOG.errorf(e, "run=%s stage=%s attempt=%d could not be run", command.getRunId(), command.getStage(), command.getAttempt());
            } finally {
                slots.release();
            }
        });
    }
}
