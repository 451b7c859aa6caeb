package dev.stagecoach.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagecoach.events.RunSnapshot;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.testkit.EmbeddedKafkaBroker;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run started by a record on a topic and cancelled mid-stage: the Kafka clients the services
 * build by hand (the API's producer, the event triggers' consumer, the worker's command feed and
 * cancel watcher), besides Kafka Streams and the channels, on the broker the suite runs against
 * (SASL_SSL with {@code STAGECOACH_TEST_KAFKA=sasl_ssl}), given to the stack as {@code up --kafka-config} takes it.
 */
class EventTriggeredRunEndToEndIT {

    static final Topic<RunSnapshot> RUNS = new Topics(Topics.DEFAULT_PREFIX).runs();
    static final String TOPIC = "deployments";

    static Path dir;
    static EmbeddedKafkaBroker broker;
    static LocalStack stack;
    static ApiClient api;

    @BeforeAll
    static void startStack() throws Exception {
        dir = Files.createDirectories(Path.of("target", "e2e-event-" + System.currentTimeMillis())).toAbsolutePath();
        broker = EndToEnd.startBroker(dir);
        broker.createTopics(1, TOPIC);
        // Through `up --kafka-config`'s way: a client properties file as Kafka's own tools take one.
        Path clientConfig = dir.resolve("kafka-client.properties");
        Properties properties = new Properties();
        broker.clientProperties().forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
        try (Writer writer = Files.newBufferedWriter(clientConfig)) {
            properties.store(writer, "the test broker, as a Kafka client sees it");
        }
        stack = new LocalStack(Stagecoach.home(), dir.resolve("stack")).stopWithThisJvm();
        UpCommand.start(stack, clientConfig);
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
    void aMatchingRecordStartsARunWhoseRunningStageACancelStops() throws Exception {
        Path started = dir.resolve("started");
        api.register("""
                pipeline:
                  name: on-deploy
                  triggers:
                    - event: {topic: %s, filter: "event.environment == 'staging'"}
                  stages:
                    - name: soak
                      timeout: 5m
                      run: touch %s && sleep 300
                """.formatted(TOPIC, started), "on-deploy.yaml");
        // The feed reads a topic from the first record written after the pipeline was registered.
        write("{\"environment\": \"production\"}");
        write("{\"environment\": \"staging\"}");

        String runId = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> runOf("on-deploy"), Optional::isPresent).orElseThrow();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(started));
        EndToEnd.CliRun cancel = EndToEnd.cli("cancel", runId, "--server", stack.schedulerUrl(), "--token", stack.token());
        assertThat(cancel.exitCode()).as(cancel.output()).isZero();

        JsonNode run = EndToEnd.awaitEnd(api, runId, Duration.ofSeconds(60));
        assertThat(run.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(run.path("requestedBy").asText()).startsWith("event:" + TOPIC + "/0@");
        assertThat(EndToEnd.commandsFor(broker.clientProperties(), runId)).hasSize(1);
    }

    private static Optional<String> runOf(String pipeline) {
        return EndToEnd.committedRecords(broker.clientProperties(), RUNS.name()).stream()
                .filter(record -> record.value() != null)
                .map(record -> RUNS.valueSerde().deserializer().deserialize(RUNS.name(), record.value()))
                .filter(snapshot -> snapshot.getPipeline().equals(pipeline))
                .map(RunSnapshot::getRunId)
                .findFirst();
    }

    private static void write(String json) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.clientProperties(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "d", json.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
    }
}
