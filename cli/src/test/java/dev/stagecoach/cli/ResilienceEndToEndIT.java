package dev.stagecoach.cli;

import static dev.stagecoach.cli.EndToEnd.awaitEnd;
import static dev.stagecoach.cli.EndToEnd.header;
import static dev.stagecoach.cli.EndToEnd.stage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagecoach.events.DeadLetters;
import dev.stagecoach.events.Topics;
import dev.stagecoach.testkit.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing another system writes stops the engine, over real processes: records that are no
 * events wait on the engine's input topics before the scheduler ever starts; it starts, sends
 * them to the dead-letter topic once, and runs pipelines, before and after a kill -9.
 */
class ResilienceEndToEndIT {

    static final Topics TOPICS = new Topics(Topics.DEFAULT_PREFIX);
    static final String ENGINE_CONSUMER = "scheduler-run-engine";

    static Path dir;
    static EmbeddedKafkaBroker broker;
    static LocalStack stack;
    static ApiClient api;

    @BeforeAll
    static void startStackOverPoison() throws Exception {
        dir = Files.createDirectories(Path.of("target", "e2e-resilience-" + System.currentTimeMillis())).toAbsolutePath();
        broker = EndToEnd.startBroker(dir);
        // As many partitions as the local stack gives them, so that the stack finds them as it wants them.
        broker.createTopics(4, TOPICS.runRequests().name(), TOPICS.results().name(), TOPICS.control().name());
        for (String topic : List.of(TOPICS.runRequests().name(), TOPICS.results().name(), TOPICS.control().name())) {
            write(topic, "poison", "{\"runId\": \"written by hand\"}");
        }
        stack = EndToEnd.stackOn(broker, dir).startServices(broker.bootstrapServers());
        api = new ApiClient(stack.schedulerUrl(), stack.token());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void poisonWaitingBeforeTheSchedulerStartsIsDeadLetteredOnceAndRunsGoOnBeforeAndAfterACrash() throws Exception {
        List<ConsumerRecord<String, byte[]>> waiting = await().atMost(Duration.ofSeconds(30))
                .until(ResilienceEndToEndIT::engineDeadLetters, letters -> letters.size() == 3);
        assertThat(waiting).extracting(r -> header(r, DeadLetters.TOPIC))
                .containsExactlyInAnyOrder(TOPICS.runRequests().name(), TOPICS.results().name(), TOPICS.control().name());
        assertThat(waiting).allSatisfy(letter -> {
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("{\"runId\": \"written by hand\"}");
            assertThat(header(letter, DeadLetters.REASON)).startsWith("record value is not readable as a ");
            assertThat(header(letter, DeadLetters.OFFSET)).isEqualTo("0");
            assertThat(header(letter, DeadLetters.PARTITION)).isNotNull();
        });

        assertThat(runToTheEnd("before-crash").path("status").asText()).isEqualTo("SUCCEEDED");

        write(TOPICS.results().name(), "poison-while-running", "not an event either");
        await().atMost(Duration.ofSeconds(30)).until(() -> engineDeadLetters().size() == 4);
        stack.killAndRestart(LocalStack.SCHEDULER, LocalStack.SCHEDULER);

        assertThat(runToTheEnd("after-crash").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(engineDeadLetters()).as("a dead letter is committed with the offset it consumed: none twice").hasSize(4);
    }

    @Test
    void aStageOfAPoolNobodyServesFailsWithTheStartTimeoutReason() throws Exception {
        String run = EndToEnd.startRun(stack, dir, "unserved", """
                  options: {retry_policy: {max_attempts: 1}}
                  stages:
                    - {name: prepare, run: echo ready}
                    - {name: train, pool: gpu, start_timeout: 3s, run: python train.py}
                """);

        JsonNode done = awaitEnd(api, run, Duration.ofSeconds(60));
        assertThat(done.path("status").asText()).isEqualTo("FAILED");
        assertThat(stage(done, "prepare").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(stage(done, "train").path("error").asText())
                .isEqualTo("no worker of pool \"gpu\" started stage \"train\" within 3s; the attempt was lost");
    }

    private static JsonNode runToTheEnd(String name) throws Exception {
        String run = EndToEnd.startRun(stack, dir, name, """
                  stages:
                    - {name: build, run: echo built}
                    - {name: check, run: echo checked}
                """);
        return awaitEnd(api, run, Duration.ofSeconds(60));
    }

    private static List<ConsumerRecord<String, byte[]>> engineDeadLetters() {
        return EndToEnd.committedRecords(broker.clientProperties(), TOPICS.deadLetters().name()).stream()
                .filter(r -> ENGINE_CONSUMER.equals(header(r, DeadLetters.CONSUMER))).toList();
    }

    private static void write(String topic, String key, String text) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.clientProperties(),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, text.getBytes(StandardCharsets.UTF_8))).get();
        }
    }
}
