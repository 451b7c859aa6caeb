package dev.stagecoach.scheduler.triggers;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.stagecoach.events.DeadLetters;
import dev.stagecoach.events.RunRequested;
import dev.stagecoach.scheduler.SchedulerFixture;
import dev.stagecoach.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Event triggers against a real broker: records that pass the filter start runs, once each, and poison goes to the dead letters. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = KafkaBrokerResource.TOPICS,
        value = SchedulerFixture.TOPICS))
class EventTriggerTest {

    private static final String TOPIC = "trigger-test.deployments";
    private static final String PIPELINE = "event-test";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    EventTriggers eventTriggers;

    @Test
    void theFeedReportsItselfAliveWithTheTopicsItReads() {
        SchedulerFixture.awaitEngineReady();
        SchedulerFixture.register("""
                pipeline:
                  name: event-health
                  triggers: [{event: {topic: trigger-test.deployments}}]
                  stages: [{name: log, run: ./log.sh}]
                """);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'event triggers' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'event triggers' }.data.topics", containsString("trigger-test.deployments")));
    }

    @Test
    void matchingRecordsStartOneRunEachAndPoisonIsDeadLettered() throws Exception {
        SchedulerFixture.awaitEngineReady();
        SchedulerFixture.register("""
                pipeline:
                  name: event-test
                  triggers:
                    - event:
                        topic: trigger-test.deployments
                        filter: "event.type == 'deploy_finished' && event.environment == 'staging'"
                  stages: [{name: smoke, run: ./smoke.sh}]
                """);
        String poisonKey = "poison-" + UUID.randomUUID();
        // Written at once after the registration: the feed reads from there even if it subscribes later.
        RecordMetadata staging = send("d1", "{\"type\": \"deploy_finished\", \"environment\": \"staging\"}");
        RecordMetadata production = send("d2", "{\"type\": \"deploy_finished\", \"environment\": \"production\"}");
        send(poisonKey, "deploy_finished staging");
        RecordMetadata stagingAgain = send("d3", "{\"type\": \"deploy_finished\", \"environment\": \"staging\", \"replicas\": 3}");

        String first = runId(staging);
        String second = runId(stagingAgain);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/runs/" + second).then().statusCode(200)
                .body("requestedBy", equalTo("event:" + TOPIC + "/0@" + stagingAgain.offset())));
        given().get("/api/runs/" + first).then().statusCode(200).body("status", equalTo("RUNNING"));
        // One partition, read in order: the third record's run exists, so the non-matching one was judged before it.
        given().get("/api/runs/" + runId(production)).then().statusCode(404);

        ConsumerRecord<String, byte[]> deadLetter = SchedulerFixture.readToEnd(bootstrap, "stagecoach.dead-letters").stream()
                .filter(r -> poisonKey.equals(r.key())).findFirst().orElseThrow();
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("deploy_finished staging");
        assertThat(header(deadLetter, DeadLetters.TOPIC)).isEqualTo(TOPIC);
        assertThat(header(deadLetter, DeadLetters.REASON)).startsWith("record value is not JSON");

        assertThat(requestedRunIds()).containsExactly(first, second);
        String createdAt = given().get("/api/runs/" + first).then().extract().path("createdAt");

        // Another reader of the same records, as after a crash before the commit or a rebalance: every record again.
        EventTriggerFeed redelivery = eventTriggers.newFeed("test-redelivery-" + UUID.randomUUID());
        Thread thread = new Thread(redelivery, "test-redelivery");
        thread.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> requestedRunIds().size() == 4);
        } finally {
            redelivery.stop();
            thread.join(10_000);
        }
        assertThat(requestedRunIds()).containsExactlyInAnyOrder(first, second, first, second);
        given().get("/api/runs/" + first).then().statusCode(200).body("createdAt", equalTo(createdAt));
    }

    private List<String> requestedRunIds() {
        return SchedulerFixture.requestedRuns(bootstrap, PIPELINE).stream().map(RunRequested::getRunId).toList();
    }

    private static String runId(RecordMetadata record) {
        return EventRoutes.runId(PIPELINE, record.topic(), record.partition(), record.offset());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private RecordMetadata send(String key, String value) throws ExecutionException, InterruptedException {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(TOPIC, key, value.getBytes(StandardCharsets.UTF_8))).get();
        }
    }
}
