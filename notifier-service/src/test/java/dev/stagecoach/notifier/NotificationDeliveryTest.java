package dev.stagecoach.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagecoach.events.Channel;
import dev.stagecoach.events.Notification;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.testkit.KafkaBrokerResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The notifier against a real Kafka broker and a real HTTP receiver. Every test uses its own
 * run ids, dedupe ids and endpoints, so the tests do not depend on their order.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(
        name = KafkaBrokerResource.TOPICS, value = "stagecoach.notifications,stagecoach.dead-letters"))
class NotificationDeliveryTest {

    private static final Topic<Notification> NOTIFICATIONS_TOPIC = new Topics(Topics.DEFAULT_PREFIX).notifications();
    private static final String NOTIFICATIONS = NOTIFICATIONS_TOPIC.name();
    private static final String DEAD_LETTERS = new Topics(Topics.DEFAULT_PREFIX).deadLetters().name();
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static WebhookReceiver receiver;

    private final Serializer<Notification> serializer = NOTIFICATIONS_TOPIC.valueSerde().serializer();
    private final ObjectMapper json = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    MeterRegistry registry;

    private KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @BeforeEach
    void connect() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void disconnect() {
        producer.close();
    }

    @Test
    void webhookReceivesTheNotificationAsJsonWithItsIdempotencyKey() throws Exception {
        String url = receiver.endpoint("hook-" + UUID.randomUUID(), 200);
        Notification notification = notification(url);

        send(notification);

        List<WebhookReceiver.Received> received = awaitReceived(url, 1);
        WebhookReceiver.Received request = received.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Idempotency-Key")).isEqualTo(notification.getDedupeId());
        JsonNode body = json.readTree(request.body());
        assertThat(body.properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder(
                "dedupeId", "runId", "pipeline", "event", "runStatus", "subject", "body", "createdAt");
        assertThat(body.get("dedupeId").asText()).isEqualTo(notification.getDedupeId());
        assertThat(body.get("runId").asText()).isEqualTo(notification.getRunId());
        assertThat(body.get("pipeline").asText()).isEqualTo("nightly-build");
        assertThat(body.get("event").asText()).isEqualTo("on_success");
        assertThat(body.get("runStatus").asText()).isEqualTo("SUCCEEDED");
        assertThat(body.get("subject").asText()).isEqualTo(notification.getSubject());
        assertThat(body.get("body").asText()).isEqualTo(notification.getBody());
        assertThat(Instant.parse(body.get("createdAt").asText())).isEqualTo(notification.getCreatedAt());

        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("stagecoach_notifications_delivered_total{channel=\"webhook\"}"));
        given().when().get("/q/health").then().statusCode(200).body(containsString("\"status\": \"UP\""));
        given().when().get("/q/health/ready").then().statusCode(200).body(containsString(DeliveredLedgerReadiness.NAME));
    }

    @Test
    void duplicateDedupeIdIsDeliveredOnce() {
        String url = receiver.endpoint("hook-" + UUID.randomUUID(), 200);
        Notification notification = notification(url);
        double duplicatesBefore = count(DeliveryMetrics.DUPLICATES);

        send(notification);
        send(notification);

        await().atMost(DEADLINE).until(() -> count(DeliveryMetrics.DUPLICATES) >= duplicatesBefore + 1);
        assertThat(awaitReceived(url, 1)).hasSize(1);
    }

    @Test
    void endpointFailingTwiceIsRetriedAndDeliveredOnce() {
        String url = receiver.endpoint("hook-" + UUID.randomUUID(), 500, 500, 200);
        Notification notification = notification(url);

        send(notification);

        List<WebhookReceiver.Received> received = awaitReceived(url, 3);
        assertThat(received).extracting(request -> request.header("Idempotency-Key"))
                .containsOnly(notification.getDedupeId());
        // A delivery that answered 200 is never sent again, so the count must stay at three.
        await().during(Duration.ofMillis(500)).atMost(DEADLINE).until(() -> receiver.received(path(url)).size() == 3);
        assertThat(deadLetters(record -> notification.getRunId().equals(record.key()))).isEmpty();
    }

    @Test
    void deadEndpointDoesNotDelayOthersAndEndsOnTheDeadLetterTopic() {
        String deadUrl = receiver.silentEndpoint("hung-" + UUID.randomUUID());
        String healthyUrl = receiver.endpoint("hook-" + UUID.randomUUID(), 200);
        Notification toDead = notification(deadUrl);
        Notification toHealthy = notification(healthyUrl);

        send(toDead);
        send(toHealthy);

        Instant healthyDelivered = awaitReceived(healthyUrl, 1).get(0).at();
        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(record -> toDead.getRunId().equals(record.key()));
        // Three attempts of one second each stand between the two: had the hung receiver held
        // up the consumer, the healthy one would have been delivered after the dead letter.
        assertThat(Instant.ofEpochMilli(deadLetter.timestamp())).isAfter(healthyDelivered);
        assertThat(header(deadLetter, "stagecoach.dlq.reason"))
                .isEqualTo("webhook " + deadUrl + " did not answer within 1s after 3 attempts");
        assertThat(header(deadLetter, "stagecoach.dlq.topic")).isEqualTo(NOTIFICATIONS);
        assertThat(header(deadLetter, "stagecoach.dlq.consumer")).isEqualTo("notifier-service");
        assertThat(deadLetter.value()).isEqualTo(serializer.serialize(NOTIFICATIONS, toDead));
    }

    @Test
    void poisonRecordIsDeadLetteredAndConsumptionCarriesOn() {
        String poisonKey = "poison-" + UUID.randomUUID();
        byte[] poison = new byte[64];
        new Random().nextBytes(poison);
        String url = receiver.endpoint("hook-" + UUID.randomUUID(), 200);

        producer.send(new ProducerRecord<>(NOTIFICATIONS, poisonKey, poison));
        send(notification(url));

        awaitReceived(url, 1);
        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(record -> poisonKey.equals(record.key()));
        assertThat(deadLetter.value()).isEqualTo(poison);
        assertThat(header(deadLetter, "stagecoach.dlq.reason"))
                .startsWith("record value is not readable as a Notification: not a Notification in Avro single-object encoding");
        assertThat(header(deadLetter, "stagecoach.dlq.topic")).isEqualTo(NOTIFICATIONS);
        assertThat(header(deadLetter, "stagecoach.dlq.consumer")).isEqualTo("notifier-service");
    }

    @Test
    void aTargetNamingASecretTheNotifierDoesNotHaveIsDeadLetteredWithTheVariableToSet() {
        Notification slack = Notification.newBuilder(notification("${{ secrets.NOT_SET_IN_THIS_TEST }}"))
                .setChannel(Channel.SLACK)
                .build();

        send(slack);

        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(record -> slack.getRunId().equals(record.key()));
        assertThat(header(deadLetter, "stagecoach.dlq.reason")).isEqualTo("the secret NOT_SET_IN_THIS_TEST that Slack target"
                + " ${{ secrets.NOT_SET_IN_THIS_TEST }} names is not set in notifier-service:"
                + " set STAGECOACH_SECRET_NOT_SET_IN_THIS_TEST to the incoming-webhook URL");
        assertThat(header(deadLetter, "stagecoach.dlq.consumer")).isEqualTo("notifier-service");
    }

    private void send(Notification notification) {
        producer.send(new ProducerRecord<>(NOTIFICATIONS, notification.getRunId(),
                serializer.serialize(NOTIFICATIONS, notification)));
        producer.flush();
    }

    private List<WebhookReceiver.Received> awaitReceived(String url, int count) {
        String path = path(url);
        await().atMost(DEADLINE).until(() -> receiver.received(path).size() >= count);
        return receiver.received(path);
    }

    private ConsumerRecord<String, byte[]> awaitDeadLetter(Predicate<ConsumerRecord<String, byte[]>> wanted) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        await().atMost(DEADLINE).pollInSameThread().until(() -> {
            found.addAll(deadLetters(wanted));
            return !found.isEmpty();
        });
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    /** Every record on the dead-letter topic so far that the predicate wants. */
    private List<ConsumerRecord<String, byte[]>> deadLetters(Predicate<ConsumerRecord<String, byte[]>> wanted) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(DEAD_LETTERS, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<String, byte[]>> matching = new ArrayList<>();
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (wanted.test(record)) {
                        matching.add(record);
                    }
                });
            }
            return matching;
        }
    }

    private double count(String name) {
        return registry.counter(name, "channel", "webhook").count();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String path(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static Notification notification(String target) {
        String runId = "run-" + UUID.randomUUID();
        return Notification.newBuilder()
                .setDedupeId(runId + ":on_success:0")
                .setRunId(runId)
                .setPipeline("nightly-build")
                .setEvent("on_success")
                .setChannel(Channel.WEBHOOK)
                .setTarget(target)
                .setSubject("[stagecoach] nightly-build run " + runId + " succeeded")
                .setBody("build: SUCCEEDED\ntest: SUCCEEDED\n")
                .setRunStatus("SUCCEEDED")
                .setCreatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }
}
