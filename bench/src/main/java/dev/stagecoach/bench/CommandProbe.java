package dev.stagecoach.bench;

import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Watches the commands topic beside the workers, without joining their group, to split a
 * hand-off into its hops: when the engine appended a command (read_uncommitted sees it) and
 * when its transaction committed (read_committed sees it). Both read at the wall clock the
 * workers use, in milliseconds.
 */
final class CommandProbe implements AutoCloseable {

    /** What the probe saw of one command; -1 for not seen (yet). */
    static final class Seen {
        volatile long issuedAt = -1;
        volatile long appendedSeenAt = -1;
        volatile long committedSeenAt = -1;
    }

    private final Map<String, Seen> byAttempt = new ConcurrentHashMap<>();
    private final Reader uncommitted;
    private final Reader committed;

    /** @param fetchMaxWaitMs of the probe's consumers: as the worker has it, so the probe fetches no later than a worker */
    CommandProbe(BenchKafka kafka, int fetchMaxWaitMs) {
        uncommitted = new Reader(kafka, false, fetchMaxWaitMs);
        committed = new Reader(kafka, true, fetchMaxWaitMs);
    }

    Seen seen(String attemptId) {
        return byAttempt.get(attemptId);
    }

    @Override
    public void close() {
        uncommitted.close();
        committed.close();
    }

    private final class Reader implements AutoCloseable {
        private final KafkaConsumer<String, StageCommand> consumer;
        private final boolean readCommitted;
        private final Thread thread;
        private volatile boolean running = true;

        Reader(BenchKafka kafka, boolean readCommitted, int fetchMaxWaitMs) {
            this.readCommitted = readCommitted;
            Topic<StageCommand> topic = new Topics(Topics.DEFAULT_PREFIX).commands("default");
            consumer = new KafkaConsumer<>(kafka.consumerConfig(readCommitted, fetchMaxWaitMs), topic.keySerde().deserializer(),
                    topic.valueSerde().deserializer());
            BenchKafka.assignAtEnd(consumer, kafka.partitions(topic.name()));
            thread = new Thread(this::loop, "bench-command-probe-" + (readCommitted ? "committed" : "uncommitted"));
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            try {
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(200));
                    long now = System.currentTimeMillis();
                    for (ConsumerRecord<String, StageCommand> record : records) {
                        StageCommand command = record.value();
                        if (command.getAction() != CommandAction.EXECUTE) {
                            continue;
                        }
                        Seen seen = byAttempt.computeIfAbsent(command.getAttemptId(), k -> new Seen());
                        seen.issuedAt = command.getIssuedAt().toEpochMilli();
                        if (readCommitted) {
                            seen.committedSeenAt = now;
                        } else {
                            seen.appendedSeenAt = now;
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close(Duration.ofSeconds(2));
            }
        }

        @Override
        public void close() {
            running = false;
            consumer.wakeup();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
