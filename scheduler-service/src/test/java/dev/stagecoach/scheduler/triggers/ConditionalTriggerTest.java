package dev.stagecoach.scheduler.triggers;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.stagecoach.events.DeadLetters;
import dev.stagecoach.events.MetricSample;
import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.events.TriggerType;
import dev.stagecoach.pipeline.Trigger;
import dev.stagecoach.scheduler.SchedulerFixture;
import dev.stagecoach.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Conditional triggers against a real broker: a metric that crosses and holds starts one run, and another only after it went back. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = KafkaBrokerResource.TOPICS,
        value = SchedulerFixture.TOPICS))
class ConditionalTriggerTest {

    private static final String METRIC = "trigger-test.queue.depth";
    private static final Trigger.Conditional TRIGGER = new Trigger.Conditional(METRIC, ">", 100, Duration.ofMinutes(1));
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Topic<MetricSample> METRICS = new Topics(Topics.DEFAULT_PREFIX).metrics();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void crossingAndHoldingStartsOneRunAndAnotherOnlyAfterTheMetricWentBack() {
        SchedulerFixture.awaitEngineReady();
        SchedulerFixture.register("""
                pipeline:
                  name: conditional-test
                  triggers:
                    - conditional: {metric: trigger-test.queue.depth, comparison: ">", threshold: 100, for: 1m}
                  stages: [{name: drain, run: ./drain.sh}]
                """);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            sample(producer, 0, 150);
            sample(producer, 30, 160);
            sample(producer, 60, 170);   // held for a minute: the first run
            sample(producer, 90, 180);   // still holding: nothing
            producer.send(new ProducerRecord<>(METRICS.name(), METRIC, "not a sample".getBytes(StandardCharsets.UTF_8)));
            sample(producer, 120, 50);   // went back: re-armed
            sample(producer, 150, 150);
            sample(producer, 180, 40);   // broke the hold before a minute
            sample(producer, 200, 150);
            sample(producer, 260, 150);  // held for a minute again: the second run
        }
        String firstRun = ConditionWatch.runId("conditional-test", TRIGGER, T0.plusSeconds(60));
        String secondRun = ConditionWatch.runId("conditional-test", TRIGGER, T0.plusSeconds(260));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/runs/" + secondRun).then().statusCode(200)
                .body("requestedBy", equalTo("metric:trigger-test.queue.depth > 100")));
        given().get("/api/runs/" + firstRun).then().statusCode(200).body("status", equalTo("RUNNING"));

        // Every sample is on one partition and judged in order, so with the last one judged the requests are complete.
        List<RunRequested> requested = SchedulerFixture.requestedRuns(bootstrap, "conditional-test");
        assertThat(requested).extracting(RunRequested::getRunId).containsExactly(firstRun, secondRun);
        assertThat(requested).extracting(RunRequested::getTrigger).containsOnly(TriggerType.CONDITIONAL);

        assertThat(SchedulerFixture.readToEnd(bootstrap, "stagecoach.dead-letters")).anySatisfy(deadLetter -> {
            assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("not a sample");
            assertThat(new String(deadLetter.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                    .startsWith("record value is not readable as a MetricSample");
        });
    }

    private static void sample(KafkaProducer<String, byte[]> producer, int second, double value) {
        MetricSample sample = MetricSample.newBuilder().setMetric(METRIC).setValue(value).setSource("test")
                .setAt(T0.plusSeconds(second)).build();
        producer.send(new ProducerRecord<>(METRICS.name(), METRIC, METRICS.valueSerde().serializer().serialize(METRICS.name(), sample)));
    }
}
