package dev.stagecoach.bench;

import dev.stagecoach.events.RunEvent;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * When a client first could read that a run ended: a read_committed consumer of the run events,
 * fetching each record as it commits (the {@link EventTap} batches its fetches to stay light, so
 * its arrival times lag by up to 100 ms and only suit the workers' own timestamps).
 */
final class RunEndWatch implements AutoCloseable {

    private static final int FETCH_MAX_WAIT_MS = 10;

    private final KafkaConsumer<String, RunEvent> consumer;
    private final Map<String, Long> endedAt = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closing;

    RunEndWatch(BenchKafka kafka) {
        Topic<RunEvent> runEvents = new Topics(Topics.DEFAULT_PREFIX).runEvents();
        this.consumer = new KafkaConsumer<>(kafka.consumerConfig(true, FETCH_MAX_WAIT_MS), runEvents.keySerde().deserializer(),
                runEvents.valueSerde().deserializer());
        BenchKafka.assignAtEnd(consumer, kafka.partitions(runEvents.name()));
        this.thread = new Thread(this::loop, "bench-run-end-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (!closing) {
                for (ConsumerRecord<String, RunEvent> record : consumer.poll(Duration.ofMillis(100))) {
                    if (EventTap.RUN_ENDS.contains(record.value().getType())) {
                        endedAt.putIfAbsent(record.value().getRunId(), System.currentTimeMillis());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** When the end of {@code runId} became readable, waiting for it up to {@code within}. */
    long endedAt(String runId, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!endedAt.containsKey(runId)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the end of run " + runId + " was not read within " + within.toSeconds() + " s");
            }
            LockSupport.parkNanos(1_000_000);
        }
        return endedAt.get(runId);
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
