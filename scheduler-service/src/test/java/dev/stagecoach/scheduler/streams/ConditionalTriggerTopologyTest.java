package dev.stagecoach.scheduler.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.DeadLetters;
import dev.stagecoach.events.MetricSample;
import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.Topics;
import dev.stagecoach.events.TriggerType;
import dev.stagecoach.pipeline.Trigger;
import dev.stagecoach.scheduler.triggers.ConditionWatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The conditional triggers' part of the topology: samples in, run requests and dead letters out, following re-registrations. */
class ConditionalTriggerTopologyTest {

    private static final Topics TOPICS = new Topics("stagecoach.");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String WATCHER = """
            pipeline:
              name: watcher
              triggers: [{conditional: {metric: queue.depth, comparison: ">", threshold: %s}}]
              stages: [{name: drain, run: ./drain.sh}]
            """;

    private TopologyTestDriver driver;
    private TestInputTopic<String, PipelineRegistered> pipelines;
    private TestInputTopic<String, MetricSample> metrics;
    private TestInputTopic<String, byte[]> rawMetrics;
    private TestOutputTopic<String, RunRequested> requests;
    private TestOutputTopic<String, byte[]> deadLetters;
    private int revision;

    @BeforeEach
    void start() throws Exception {
        driver = TestDrivers.of(TOPICS, "conditional-topology-test", T0);
        pipelines = TestDrivers.input(driver, TOPICS.pipelines());
        metrics = TestDrivers.input(driver, TOPICS.metrics());
        rawMetrics = TestDrivers.rawInput(driver, TOPICS.metrics());
        requests = TestDrivers.output(driver, TOPICS.runRequests());
        deadLetters = TestDrivers.output(driver, TOPICS.deadLetters());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aReRegisteredTriggerIsJudgedAfreshAndARemovedOneStops() {
        register(WATCHER.formatted(100));
        sample(0, 150);
        sample(10, 160);
        var fired = requests.readKeyValue();
        assertThat(fired.key).isEqualTo(ConditionWatch.runId("watcher", trigger(100), T0));
        assertThat(fired.value.getTrigger()).isEqualTo(TriggerType.CONDITIONAL);
        assertThat(fired.value.getRequestedBy()).isEqualTo("metric:queue.depth > 100");
        assertThat(requests.isEmpty()).as("still holding: no second run").isTrue();

        register(WATCHER.formatted(200));
        sample(20, 160);
        sample(30, 250);
        assertThat(requests.readKeyValue().key).isEqualTo(ConditionWatch.runId("watcher", trigger(200), T0.plusSeconds(30)));

        register("""
                pipeline:
                  name: watcher
                  stages: [{name: drain, run: ./drain.sh}]
                """);
        sample(40, 50);
        sample(50, 900);
        assertThat(requests.isEmpty()).isTrue();
    }

    @Test
    void unreadableSampleIsDeadLetteredAndTheNextOneIsJudged() {
        register(WATCHER.formatted(100));
        rawMetrics.pipeInput("queue.depth", "{\"value\": 150}".getBytes(StandardCharsets.UTF_8));
        sample(0, 150);

        var deadLetter = deadLetters.readRecord();
        assertThat(deadLetter.key()).isEqualTo("queue.depth");
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("{\"value\": 150}");
        assertThat(new String(deadLetter.headers().lastHeader(DeadLetters.CONSUMER).value(), StandardCharsets.UTF_8))
                .isEqualTo("scheduler-conditional-triggers");
        assertThat(requests.readKeyValue().key).isEqualTo(ConditionWatch.runId("watcher", trigger(100), T0));
    }

    private void register(String yaml) {
        pipelines.pipeInput("watcher", PipelineRegistered.newBuilder().setName("watcher").setRevision(++revision).setYaml(yaml)
                .setSha256("rev" + revision).setRegisteredAt(T0).build());
    }

    private void sample(int second, double value) {
        metrics.pipeInput("queue.depth", MetricSample.newBuilder()
                .setMetric("queue.depth").setValue(value).setAt(T0.plusSeconds(second)).build());
    }

    private static Trigger.Conditional trigger(double threshold) {
        return new Trigger.Conditional("queue.depth", ">", threshold, Duration.ZERO);
    }
}
