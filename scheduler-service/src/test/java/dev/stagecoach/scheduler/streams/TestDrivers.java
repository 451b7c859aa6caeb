package dev.stagecoach.scheduler.streams;

import dev.stagecoach.events.Outcome;
import dev.stagecoach.events.ResultType;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.StageResult;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** The scheduler's whole topology in a {@link TopologyTestDriver}, with state of its own and the wall clock at {@code start}. */
final class TestDrivers {

    private TestDrivers() {
    }

    /** Publishes every change of a run as a snapshot at once. */
    static TopologyTestDriver of(Topics topics, String applicationId, Instant start) throws IOException {
        return of(topics, applicationId, start, Duration.ZERO);
    }

    static TopologyTestDriver of(Topics topics, String applicationId, Instant start, Duration snapshotInterval) throws IOException {
        return of(RunEngineTopology.build(topics, Duration.ofMillis(100), snapshotInterval), applicationId, start);
    }

    static TopologyTestDriver of(Topology topology, String applicationId, Instant start) throws IOException {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(applicationId).toString());
        return new TopologyTestDriver(topology, props, start);
    }

    static <V> TestInputTopic<String, V> input(TopologyTestDriver driver, Topic<V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** Writes any bytes to the topic, e.g. a record that is not of the topic's type. */
    static TestInputTopic<String, byte[]> rawInput(TopologyTestDriver driver, Topic<?> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), new ByteArraySerializer());
    }

    static <V> TestOutputTopic<String, V> output(TopologyTestDriver driver, Topic<V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    /** What a worker sends about {@code command}; a failure exits with 1. */
    static StageResult result(StageCommand command, ResultType type, Outcome outcome, Instant at) {
        return StageResult.newBuilder().setRunId(command.getRunId()).setStage(command.getStage())
                .setAttempt(command.getAttempt()).setAttemptId(command.getAttemptId()).setType(type)
                .setOutcome(outcome).setExitCode(outcome == Outcome.FAILED ? 1 : 0).setDurationMillis(5L)
                .setWorker("w1").setAt(at).build();
    }
}
