package dev.stagecoach.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.Outcome;
import dev.stagecoach.events.ResultType;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.StageResult;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The worker service wired to a real broker: commands in, results out, poison to the dead-letter topic. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = KafkaBrokerResource.TOPICS,
        value = "stagecoach.commands.default:2,stagecoach.results:2,stagecoach.logs,stagecoach.dead-letters"))
class WorkerServiceTest {

    private static final Topics TOPICS = new Topics(Topics.DEFAULT_PREFIX);
    private static final Topic<StageCommand> COMMANDS = TOPICS.commands("default");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void commandOnTheTopicIsExecutedAndReportedWithItsAttemptId() {
        String runId = UUID.randomUUID().toString();
        send(runId + "/build", COMMANDS.valueSerde().serializer().serialize(COMMANDS.name(), StageCommand.newBuilder()
                .setRunId(runId).setStage("build").setAttempt(1).setAttemptId(runId + "/build/1")
                .setAction(CommandAction.EXECUTE).setKind("shell").setCommand("echo \"built $PARAM_V\"")
                .setEnv(Map.of("PARAM_V", "7")).setTimeoutMillis(30_000).setIssuedAt(Instant.now()).build()));

        List<StageResult> results = new ArrayList<>();
        Topic<StageResult> resultsTopic = TOPICS.results();
        try (KafkaConsumer<String, byte[]> consumer = consumer(resultsTopic.name())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    StageResult result = resultsTopic.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (result.getRunId().equals(runId)) {
                        assertThat(r.key()).isEqualTo(runId);
                        results.add(result);
                    }
                });
                return results.stream().anyMatch(r -> r.getType() == ResultType.FINISHED);
            });
        }
        assertThat(results).extracting(StageResult::getType).startsWith(ResultType.STARTED).endsWith(ResultType.FINISHED);
        assertThat(results).allSatisfy(r -> assertThat(r.getAttemptId()).isEqualTo(runId + "/build/1"));
        StageResult finished = results.get(results.size() - 1);
        assertThat(finished.getOutcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(finished.getOutputTail()).containsExactly("built 7");
    }

    @Test
    void unreadableCommandGoesToTheDeadLetterTopicAndTheWorkerCarriesOn() {
        String key = "poison-" + UUID.randomUUID();
        send(key, "definitely not avro".getBytes());
        try (KafkaConsumer<String, byte[]> consumer = consumer(TOPICS.deadLetters().name())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        return true;
                    }
                }
                return false;
            });
        }
        commandOnTheTopicIsExecutedAndReportedWithItsAttemptId();
    }

    private void send(String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(COMMANDS.name(), key, value));
        }
    }

    private KafkaConsumer<String, byte[]> consumer(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
