package dev.stagecoach.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.testkit.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every worker hears every cancel of its pool, over the real broker, and reads nothing else. */
class CancelWatcherTest {

    private final String bootstrap = SharedKafka.bootstrapServers();
    private final Topic<StageCommand> commands = new Topics("cancels-" + UUID.randomUUID() + ".").commands("default");
    private final String topic = commands.name();
    private final Queue<String> heard = new ConcurrentLinkedQueue<>();
    private CancelWatcher watcher;
    private Thread thread;

    @BeforeEach
    void startWatching() throws Exception {
        SharedKafka.createTopics(3, topic);
        send(command("before/start/1", CommandAction.CANCEL), "CANCEL");
        watcher = new CancelWatcher(new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer()),
                commands, command -> heard.add(command.getAttemptId()));
        thread = new Thread(watcher, "cancel-watcher-test");
        thread.start();
        await().atMost(Duration.ofSeconds(30)).until(watcher::watching);
    }

    @AfterEach
    void stop() throws InterruptedException {
        watcher.stop();
        thread.join(10_000);
    }

    @Test
    void hearsCancelsMarkedOrNotAndSkipsExecutionsUnread() {
        send(command("run-1/build/1", CommandAction.EXECUTE), "EXECUTE");
        send(command("run-1/build/1", CommandAction.CANCEL), "CANCEL");
        // Written by an engine from before the header: read, and heard.
        send(command("run-2/test/3", CommandAction.CANCEL), null);
        // Marked as an execution: skipped without being decoded, so even a mislabelled cancel is not heard.
        send(command("run-3/deploy/1", CommandAction.CANCEL), "EXECUTE");
        send(command("run-4/last/1", CommandAction.CANCEL), "CANCEL");

        await().atMost(Duration.ofSeconds(30)).until(() -> heard.contains("run-4/last/1"));
        assertThat(heard).as("in order, from the end of the topic at start").containsExactly("run-1/build/1", "run-2/test/3", "run-4/last/1");
    }

    private void send(StageCommand command, String action) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            // One partition, so the order of what is heard is the order of sending.
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, 0, command.getRunId(),
                    commands.valueSerde().serializer().serialize(topic, command));
            if (action != null) {
                record.headers().add(Topics.COMMAND_ACTION_HEADER, action.getBytes(StandardCharsets.US_ASCII));
            }
            producer.send(record);
        }
    }

    private static StageCommand command(String attemptId, CommandAction action) {
        String[] parts = attemptId.split("/");
        return StageCommand.newBuilder().setRunId(parts[0]).setStage(parts[1]).setAttempt(Integer.parseInt(parts[2]))
                .setAttemptId(attemptId).setAction(action).setKind("noop").setCommand("")
                .setTimeoutMillis(10_000).setIssuedAt(Instant.now()).build();
    }
}
