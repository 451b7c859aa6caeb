package dev.stagecoach.scheduler.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.Control;
import dev.stagecoach.events.ControlAction;
import dev.stagecoach.events.DeadLetters;
import dev.stagecoach.events.Outcome;
import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.events.ResultType;
import dev.stagecoach.events.RunEvent;
import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.RunSnapshot;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.StageResult;
import dev.stagecoach.events.Topics;
import dev.stagecoach.events.TriggerType;
import dev.stagecoach.scheduler.engine.EngineSettings;
import dev.stagecoach.scheduler.engine.RunState;
import dev.stagecoach.scheduler.engine.RunStatus;
import dev.stagecoach.scheduler.engine.StageState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nothing a record carries stops the engine: unreadable records are dead-lettered and the next
 * one is processed; an event the engine fails on fails its run with the reason; attempts that
 * no worker starts are lost after the start timeout; finished runs are forgotten after their
 * retention; a pool without a commands topic never reaches the producer.
 */
class EngineResilienceTopologyTest {

    static final Topics TOPICS = new Topics("stagecoach.");
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final Duration RETENTION = Duration.ofHours(1);
    static final String PIPELINE = """
            pipeline:
              name: sturdy
              options:
                retry_policy: {max_attempts: 2, backoff: fixed, initial_delay: 1s}
              stages:
                - {name: fetch, run: curl it}
                - {name: train, run: python train.py, pool: gpu}
            """;

    final List<ProducerRecord<String, byte[]>> pipelineDeadLetters = new ArrayList<>();
    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> rawPipelines;
    TestInputTopic<String, RunRequested> requests;
    TestInputTopic<String, StageResult> results;
    TestInputTopic<String, Control> control;
    TestOutputTopic<String, StageCommand> commands;
    TestOutputTopic<String, StageCommand> gpuCommands;
    TestOutputTopic<String, RunEvent> runEvents;
    TestOutputTopic<String, RunSnapshot> runs;
    TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void start() throws Exception {
        // The gpu pool has no commands topic: nobody serves it.
        CommandTopicCheck onlyDefault = topic -> topic.equals(TOPICS.commands("default").name());
        driver = TestDrivers.of(RunEngineTopology.build(TOPICS, new EngineTiming(Duration.ofMillis(100), Duration.ZERO),
                new EngineSettings(START_TIMEOUT, RETENTION), onlyDefault, pipelineDeadLetters::add),
                "resilience-test", START);
        rawPipelines = TestDrivers.rawInput(driver, TOPICS.pipelines());
        requests = TestDrivers.input(driver, TOPICS.runRequests());
        results = TestDrivers.input(driver, TOPICS.results());
        control = TestDrivers.input(driver, TOPICS.control());
        commands = TestDrivers.output(driver, TOPICS.commands("default"));
        gpuCommands = TestDrivers.output(driver, TOPICS.commands("gpu"));
        runEvents = TestDrivers.output(driver, TOPICS.runEvents());
        runs = TestDrivers.output(driver, TOPICS.runs());
        deadLetters = TestDrivers.output(driver, TOPICS.deadLetters());
        register("sturdy", 1, PIPELINE);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"stagecoach.run-requests", "stagecoach.results", "stagecoach.control"})
    void plainTextOnAnyInputIsDeadLetteredWithWhereItWasAndWhyAndTheNextRecordIsProcessed(String topic) {
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
        byte[] poison = "this is not an event".getBytes(StandardCharsets.UTF_8);
        raw.pipeInput("run-1", poison);

        TestRecord<String, byte[]> dead = deadLetters.readRecord();
        assertThat(dead.key()).isEqualTo("run-1");
        assertThat(dead.value()).isEqualTo(poison);
        assertThat(header(dead.headers(), DeadLetters.TOPIC)).isEqualTo(topic);
        assertThat(header(dead.headers(), DeadLetters.PARTITION)).isEqualTo("0");
        assertThat(header(dead.headers(), DeadLetters.OFFSET)).isEqualTo("0");
        assertThat(header(dead.headers(), DeadLetters.REASON)).startsWith("record value is not readable as a ");

        request("run-1");
        assertThat(commands.readValue().getStage()).as("the engine goes on").isEqualTo("fetch");
    }

    @Test
    void aRecordWithoutValueOrUnderAnotherKeyThanItsRunIdIsDeadLettered() {
        TestInputTopic<String, byte[]> raw = TestDrivers.rawInput(driver, TOPICS.runRequests());
        raw.pipeInput("run-1", (byte[]) null);
        requests.pipeInput("someone-else", requestFor("run-1"));

        List<String> reasons = deadLetters.readRecordsToList().stream().map(r -> header(r.headers(), DeadLetters.REASON)).toList();
        assertThat(reasons).containsExactly(
                "the record has no value; stagecoach.run-requests carries RunRequested records",
                "the record's key must be its run id \"run-1\", but it is \"someone-else\"");
        assertThat(commands.isEmpty()).isTrue();
    }

    @Test
    void anUnreadableRegistrationIsDeadLetteredAndTheRegistrationBeforeItStays() {
        rawPipelines.pipeInput("sturdy", "not avro".getBytes(StandardCharsets.UTF_8));

        assertThat(pipelineDeadLetters).singleElement().satisfies(dead -> {
            assertThat(dead.topic()).isEqualTo(TOPICS.deadLetters().name());
            assertThat(header(dead.headers(), DeadLetters.TOPIC)).isEqualTo(TOPICS.pipelines().name());
            assertThat(header(dead.headers(), DeadLetters.REASON)).startsWith("record value is not readable as a PipelineRegistered");
        });
        request("run-1");
        assertThat(commands.readValue().getStage()).isEqualTo("fetch");
    }

    @Test
    void aRunOfARevisionThatNoLongerLoadsFailsWithTheReasonAndTheRunsAfterItGoOn() {
        register("broken", 1, "pipeline: {name: broken, stages: [{name: a, needs: [ghost], run: x}]}");
        requests.pipeInput("run-1", RunRequested.newBuilder(requestFor("run-1")).setPipeline("broken").build());

        RunSnapshot failed = runs.readValue();
        assertThat(failed.getStatus()).isEqualTo("FAILED");
        assertThat(failed.getReason()).startsWith("pipeline broken revision 1 does not load: ").contains("ghost");

        request("run-2");
        assertThat(commands.readValue().getRunId()).isEqualTo("run-2");
    }

    @Test
    void anEventTheEngineFailsOnFailsItsRunWithTheReasonInsteadOfStoppingTheThread() {
        request("run-1");
        StageCommand fetch = commands.readValue();
        // A run whose pinned revision cannot be read back (as if stored by another version): its next event throws.
        KeyValueStore<String, RunState> store = driver.getKeyValueStore(RunEngineTopology.RUNS_STORE);
        RunState model = store.get("run-1");
        store.put("run-9", new RunState("run-9", model.pipeline(), model.pipelineRevision(), "pipeline: [",
                model.parameters(), model.requestedBy(), model.status(), model.stages(), model.createdAt(),
                model.deadline(), null, null, null));
        runEvents.readValuesToList();

        results.pipeInput("run-9", StageResult.newBuilder(result(fetch, ResultType.STARTED, null)).setRunId("run-9")
                .setAttemptId("run-9/fetch/1").build());

        List<RunEvent> events = runEvents.readValuesToList();
        assertThat(events).extracting(RunEvent::getType).containsExactly("EVENT_FAILED", "RUN_FAILED");
        assertThat(events.get(0).getMessage()).startsWith("the engine could not apply StageStarted: ");
        RunState failed = store.get("run-9");
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.stage("fetch").status().name()).isEqualTo("CANCELLED");

        request("run-2");
        assertThat(commands.readValue().getRunId()).as("the runs behind it go on").isEqualTo("run-2");
    }

    @Test
    void resumeOfARunThatNeverHadAPipelineIsRefusedWithARunEvent() {
        requests.pipeInput("run-1", RunRequested.newBuilder(requestFor("run-1")).setPipeline("nope").build());
        runEvents.readValuesToList();

        control.pipeInput("run-1", Control.newBuilder().setRunId("run-1").setAction(ControlAction.RESUME)
                .setBy("alice").setAt(START).build());

        RunEvent refused = runEvents.readValue();
        assertThat(refused.getType()).isEqualTo("CONTROL_REFUSED");
        assertThat(refused.getMessage()).isEqualTo("resume refused: run run-1 has no pipeline revision to run "
                + "(no pipeline named \"nope\" is registered); start a new run instead");
        request("run-2");
        assertThat(commands.readValue().getRunId()).isEqualTo("run-2");
    }

    @Test
    void anAttemptNoWorkerStartsIsLostAfterTheStartTimeoutAndRetried() {
        request("run-1");
        StageCommand first = commands.readValue();

        driver.advanceWallClockTime(START_TIMEOUT.minusSeconds(1));
        assertThat(commands.isEmpty()).as("still within the start timeout").isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        StageCommand cancel = commands.readValue();
        assertThat(cancel.getAction()).as("a worker that claims it late must not run it").isEqualTo(CommandAction.CANCEL);
        assertThat(cancel.getAttemptId()).isEqualTo(first.getAttemptId());
        assertThat(runEvents.readValuesToList()).filteredOn(e -> e.getType().equals("STAGE_RETRYING")).singleElement()
                .extracting(RunEvent::getMessage).asString()
                .contains("no worker of pool \"default\" started stage \"fetch\" within 30s");

        driver.advanceWallClockTime(Duration.ofSeconds(2));
        StageCommand retry = commands.readValue();
        assertThat(retry.getAttempt()).isEqualTo(2);
        results.pipeInput("run-1", result(retry, ResultType.STARTED, null));
        driver.advanceWallClockTime(Duration.ofSeconds(15));
        results.pipeInput("run-1", result(retry, ResultType.HEARTBEAT, null));
        driver.advanceWallClockTime(START_TIMEOUT.minusSeconds(14));
        assertThat(commands.isEmpty()).as("a started attempt has no start timeout").isTrue();
    }

    @Test
    void aStageOfAPoolWithoutTopicIsNeverSentAndFailsWithTheStartTimeoutReason() {
        request("run-1");
        StageCommand fetch = commands.readValue();
        results.pipeInput("run-1", result(fetch, ResultType.FINISHED, Outcome.SUCCEEDED));
        assertThat(gpuCommands.isEmpty()).isTrue();

        driver.advanceWallClockTime(START_TIMEOUT.plusSeconds(1));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        driver.advanceWallClockTime(START_TIMEOUT.plusSeconds(1));

        RunState run = driver.<String, RunState>getKeyValueStore(RunEngineTopology.RUNS_STORE).get("run-1");
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        StageState train = run.stage("train");
        assertThat(train.attempts()).isEqualTo(2);
        assertThat(train.error()).isEqualTo("no worker of pool \"gpu\" started stage \"train\" within 30s; the attempt was lost");
        assertThat(gpuCommands.isEmpty()).as("nothing was sent to the missing topic").isTrue();
    }

    @Test
    void aFinishedRunIsForgottenAfterItsRetentionUnlessItWasResumed() {
        request("run-1");
        request("run-2");
        for (StageCommand command : commands.readValuesToList()) {
            results.pipeInput(command.getRunId(), result(command, ResultType.FINISHED, Outcome.FAILED));
        }
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        for (StageCommand retry : commands.readValuesToList()) {
            results.pipeInput(retry.getRunId(), result(retry, ResultType.FINISHED, Outcome.FAILED));
        }
        KeyValueStore<String, RunState> store = driver.getKeyValueStore(RunEngineTopology.RUNS_STORE);
        assertThat(store.get("run-1").status()).isEqualTo(RunStatus.FAILED);
        driver.advanceWallClockTime(RETENTION.minusMinutes(30));
        control.pipeInput("run-2", Control.newBuilder().setRunId("run-2").setAction(ControlAction.RESUME)
                .setBy("alice").setAt(START).build());
        runs.readRecordsToList();

        driver.advanceWallClockTime(Duration.ofMinutes(31));

        assertThat(store.get("run-1")).as("forgotten").isNull();
        assertThat(store.get("run-2")).as("resumed, so kept").isNotNull();
        List<TestRecord<String, RunSnapshot>> published = runs.readRecordsToList();
        assertThat(published).filteredOn(r -> r.key().equals("run-1")).singleElement()
                .satisfies(tombstone -> assertThat(tombstone.value()).isNull());
    }

    private void register(String name, int revision, String yaml) {
        TestInputTopic<String, PipelineRegistered> typed = TestDrivers.input(driver, TOPICS.pipelines());
        typed.pipeInput(name, PipelineRegistered.newBuilder().setName(name).setRevision(revision).setYaml(yaml)
                .setSha256("sha-" + revision).setRegisteredAt(START).build());
    }

    private void request(String runId) {
        requests.pipeInput(runId, requestFor(runId));
    }

    private static RunRequested requestFor(String runId) {
        return RunRequested.newBuilder().setRunId(runId).setPipeline("sturdy").setParameters(Map.of())
                .setTrigger(TriggerType.MANUAL).setRequestedBy("test").setRequestedAt(START).build();
    }

    private static StageResult result(StageCommand command, ResultType type, Outcome outcome) {
        return TestDrivers.result(command, type, outcome, START);
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
