package dev.stagecoach.bench;

import dev.stagecoach.events.RunEvent;
import dev.stagecoach.events.StageResult;
import dev.stagecoach.events.Topics;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads what the workers report ({@code results}) and what the engine decides
 * ({@code run-events}) as it happens, and hands each event to the current measurement.
 * Results come from the workers' plain producers, so read_uncommitted loses nothing.
 */
final class EventTap implements AutoCloseable {

    interface Listener {
        default void onResult(StageResult result) {
        }

        default void onRunEvent(RunEvent event) {
        }
    }

    static final Set<String> RUN_ENDS = Set.of("RUN_SUCCEEDED", "RUN_FAILED", "RUN_CANCELLED");
    // The tap must add as little load as it can to the machine it measures: it fetches in
    // batches of up to 64 KiB or 100 ms, which delays nothing that is measured (those times are
    // the workers' own), only the closed loop's next run by at most 100 ms.
    private static final int TAP_FETCH_MAX_WAIT_MS = 100;
    private static final int TAP_FETCH_MIN_BYTES = 64 * 1024;
    private static final Listener NOBODY = new Listener() {
    };

    private final KafkaConsumer<String, byte[]> consumer;
    private final String resultsTopic;
    private final Deserializer<StageResult> results;
    private final Deserializer<RunEvent> runEvents;
    private final AtomicLong runsEnded = new AtomicLong();
    private final AtomicLong runsFailed = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final Thread thread;
    private volatile Listener listener = NOBODY;
    private volatile boolean running = true;
    private volatile Throwable failure;

    EventTap(BenchKafka kafka) {
        Topics topics = new Topics(Topics.DEFAULT_PREFIX);
        this.resultsTopic = topics.results().name();
        this.results = topics.results().valueSerde().deserializer();
        this.runEvents = topics.runEvents().valueSerde().deserializer();
        var config = kafka.consumerConfig(false, TAP_FETCH_MAX_WAIT_MS);
        config.put(org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MIN_BYTES_CONFIG, TAP_FETCH_MIN_BYTES);
        // One consumer for two topics of two types: values come as bytes and are decoded by their topic.
        this.consumer = new KafkaConsumer<>(config, topics.results().keySerde().deserializer(), new ByteArrayDeserializer());
        BenchKafka.assignAtEnd(consumer, kafka.partitions(topics.results().name(), topics.runEvents().name()));
        this.thread = new Thread(this::loop, "bench-event-tap");
        thread.setDaemon(true);
        thread.start();
    }

    void listen(Listener next) {
        listener = next == null ? NOBODY : next;
    }

    /** Runs that ended (in any terminal state) since the tap started: they stay in the engine's state. */
    long runsEnded() {
        return runsEnded.get();
    }

    long runsFailed() {
        return runsFailed.get();
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    dispatch(record);
                }
                polls.incrementAndGet();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        if (record.topic().equals(resultsTopic)) {
            listener.onResult(results.deserialize(record.topic(), record.value()));
            return;
        }
        RunEvent event = runEvents.deserialize(record.topic(), record.value());
        if (RUN_ENDS.contains(event.getType())) {
            runsEnded.incrementAndGet();
            if (!event.getType().equals("RUN_SUCCEEDED")) {
                runsFailed.incrementAndGet();
            }
        }
        listener.onRunEvent(event);
    }

    /**
     * Returns once the tap has finished two more polls: everything written before the call
     * has been handed to the listener, and what the listener recorded is visible to the caller.
     */
    void sync() {
        long target = polls.get() + 2;
        long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (polls.get() < target) {
            check();
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("the bench's event reader is stuck");
            }
            Bench.pause(Duration.ofMillis(20));
        }
    }

    /** Fails loudly if the tap stopped reading, so that no measurement waits for events that never come. */
    void check() {
        if (failure != null) {
            throw new IllegalStateException("the bench stopped reading events: " + failure, failure);
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
