package dev.stagecoach.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.testkit.SharedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker's claim on its commands, over the real broker: once per attempt across a changing pool, and only what it can run. */
class CommandFeedTest {

    /** Rebalances of a busy machine (the whole build running at once) have taken most of a minute. */
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private final String bootstrap = SharedKafka.bootstrapServers();
    private final Topic<StageCommand> commands = new Topics("feed-" + UUID.randomUUID() + ".").commands("default");
    private final String topic = commands.name();
    private final String group = "workers-" + UUID.randomUUID();
    private final List<Running> feeds = new ArrayList<>();

    @BeforeEach
    void createTopic() throws Exception {
        SharedKafka.createTopics(4, topic);
    }

    @AfterEach
    void stopFeeds() {
        feeds.forEach(Running::stop);
    }

    @Test
    void everyAttemptRunsExactlyOnceWhileWorkersJoinAndLeaveThePool() {
        Queue<String> executed = new ConcurrentLinkedQueue<>();
        AtomicBoolean holding = new AtomicBoolean(true);
        CommandFeed.Handler handler = handler(command -> {
            executed.add(command.getAttemptId());
            // Held while a worker joins or leaves, so that the rebalance catches commands in flight.
            await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .untilFalse(holding);
        });
        List<String> attempts = IntStream.range(0, 300).mapToObj(i -> "run-" + i + "/build/1").toList();
        send(attempts.stream().map(CommandFeedTest::execute).toList());

        Running first = start(2, handler);
        await().atMost(PATIENCE).until(() -> executed.size() >= 2);
        Running second = start(2, handler);
        await().atMost(PATIENCE).until(second.feed()::joined);
        holding.set(false);

        await().atMost(PATIENCE).until(() -> executed.size() >= 120);
        holding.set(true);
        Running third = start(2, handler);
        await().atMost(PATIENCE).until(third.feed()::joined);
        holding.set(false);
        first.stop();
        await().atMost(PATIENCE).until(() -> executed.size() >= attempts.size());
        feeds.forEach(Running::stop);

        Map<String, Long> runs = executed.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(attempts);
        assertThat(runs).allSatisfy((attempt, times) -> assertThat(times).as(attempt).isEqualTo(1L));
    }

    @Test
    void aBusyWorkerClaimsNoMoreCommandsThanItHasInHand() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Queue<String> started = new ConcurrentLinkedQueue<>();
        send(List.of(execute("a/s/1"), execute("b/s/1"), execute("c/s/1"), execute("d/s/1")), 0);
        start(1, handler(command -> {
            started.add(command.getAttemptId());
            await().atMost(Duration.ofSeconds(30)).until(() -> release.getCount() == 0);
        }));

        // One slot: one command runs and one waits in hand; the other two stay unclaimed for other workers.
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(0) == CommandFeed.inHand(1));
        assertThat(started).containsExactly("a/s/1");

        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> started.size() == 4);
        assertThat(started).containsExactly("a/s/1", "b/s/1", "c/s/1", "d/s/1");
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(0) == 4);
    }

    @Test
    void anUnreadableRecordIsHandedOverBeforeItIsClaimedAndTheFeedCarriesOn() {
        Queue<String> unreadable = new ConcurrentLinkedQueue<>();
        Queue<String> executed = new ConcurrentLinkedQueue<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, 0, "poison", "not avro".getBytes()));
            producer.send(new ProducerRecord<>(topic, 0, "x", encode(execute("x/s/1"))));
        }
        start(2, new CommandFeed.Handler() {
            @Override
            public void execute(StageCommand command) {
                executed.add(command.getAttemptId());
            }

            @Override
            public void unreadable(ConsumerRecord<String, byte[]> record, Exception why) {
                unreadable.add(record.key() + ": " + why.getMessage());
            }
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> executed.contains("x/s/1"));
        assertThat(unreadable).singleElement().asString().startsWith("poison: ");
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(0) == 2);
    }

    private Running start(int slots, CommandFeed.Handler handler) {
        ExecutorService threads = Executors.newFixedThreadPool(slots);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, CommandFeed.inHand(slots)), new StringDeserializer(), new ByteArrayDeserializer());
        CommandFeed feed = new CommandFeed(consumer, commands, slots, threads, handler);
        Thread thread = new Thread(feed, "feed-" + feeds.size());
        thread.start();
        Running running = new Running(feed, thread, threads);
        feeds.add(running);
        return running;
    }

    private long committed(int partition) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(topic, partition));
            return offset == null ? 0 : offset.offset();
        }
    }

    private void send(List<StageCommand> commands) {
        send(commands, null);
    }

    private void send(List<StageCommand> commands, Integer partition) {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (StageCommand command : commands) {
                producer.send(new ProducerRecord<>(topic, partition, command.getRunId(), encode(command)));
            }
        }
    }

    private byte[] encode(StageCommand command) {
        return commands.valueSerde().serializer().serialize(topic, command);
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                new ByteArraySerializer());
    }

    private static StageCommand execute(String attemptId) {
        String[] parts = attemptId.split("/");
        return StageCommand.newBuilder().setRunId(parts[0]).setStage(parts[1]).setAttempt(Integer.parseInt(parts[2]))
                .setAttemptId(attemptId).setAction(CommandAction.EXECUTE).setKind("noop").setCommand("")
                .setTimeoutMillis(10_000).setIssuedAt(Instant.now()).build();
    }

    private static CommandFeed.Handler handler(java.util.function.Consumer<StageCommand> execute) {
        return new CommandFeed.Handler() {
            @Override
            public void execute(StageCommand command) {
                execute.accept(command);
            }

            @Override
            public void unreadable(ConsumerRecord<String, byte[]> record, Exception why) {
                throw new AssertionError("unexpected unreadable record at offset " + record.offset());
            }
        };
    }

    private record Running(CommandFeed feed, Thread thread, ExecutorService threads) {
        void stop() {
            feed.stop();
            try {
                thread.join(30_000);
                threads.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
