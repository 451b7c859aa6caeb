package dev.stagecoach.scheduler.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.Control;
import dev.stagecoach.events.ControlAction;
import dev.stagecoach.events.Notification;
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
import dev.stagecoach.events.serde.AvroSerde;
import dev.stagecoach.scheduler.engine.EngineEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunEngineTopologyTest {

    static final Topics TOPICS = new Topics("stagecoach.");
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final String FLAKY = """
            pipeline:
              name: flaky
              options:
                retry_policy: {max_attempts: 3, backoff: exponential, initial_delay: 2s}
              stages:
                - {name: fetch, run: curl it, timeout: 1m}
                - {name: store, run: cp it}
              notifications:
                on_failure: [{webhook: "http://hooks/failure"}]
            """;

    TopologyTestDriver driver;
    TestInputTopic<String, PipelineRegistered> pipelines;
    TestInputTopic<String, RunRequested> requests;
    TestInputTopic<String, StageResult> results;
    TestInputTopic<String, Control> control;
    TestOutputTopic<String, StageCommand> commands;
    TestOutputTopic<String, RunSnapshot> runs;
    TestOutputTopic<String, RunEvent> runEvents;
    TestOutputTopic<String, Notification> notifications;

    @BeforeEach
    void start() throws Exception {
        driver = TestDrivers.of(TOPICS, "topology-test", START);
        StringSerializer keys = new StringSerializer();
        pipelines = driver.createInputTopic(TOPICS.pipelines(), keys, AvroSerde.of(PipelineRegistered.class));
        requests = driver.createInputTopic(TOPICS.runRequests(), keys, AvroSerde.of(RunRequested.class));
        results = driver.createInputTopic(TOPICS.results(), keys, AvroSerde.of(StageResult.class));
        control = driver.createInputTopic(TOPICS.control(), keys, AvroSerde.of(Control.class));
        StringDeserializer keyReader = new StringDeserializer();
        commands = driver.createOutputTopic(TOPICS.commands("default"), keyReader, AvroSerde.of(StageCommand.class));
        runs = driver.createOutputTopic(TOPICS.runs(), keyReader, AvroSerde.of(RunSnapshot.class));
        runEvents = driver.createOutputTopic(TOPICS.runEvents(), keyReader, AvroSerde.of(RunEvent.class));
        notifications = driver.createOutputTopic(TOPICS.notifications(), keyReader, AvroSerde.of(Notification.class));

        pipelines.pipeInput("flaky", PipelineRegistered.newBuilder().setName("flaky").setRevision(1).setYaml(FLAKY)
                .setSha256("x").setRegisteredAt(START).build());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void retryIsDispatchedWhenItsBackoffTimerFires() {
        request("run-1");
        var dispatched = commands.readKeyValue();
        StageCommand first = dispatched.value;
        assertThat(dispatched.key).isEqualTo("run-1/fetch");
        assertThat(first.getAttemptId()).isEqualTo("run-1/fetch/1");

        results.pipeInput("run-1", result(first, ResultType.STARTED, null));
        results.pipeInput("run-1", result(first, ResultType.FINISHED, Outcome.FAILED));
        assertThat(commands.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofMillis(1900));
        assertThat(commands.isEmpty()).as("back-off of 2 s not over yet").isTrue();
        driver.advanceWallClockTime(Duration.ofMillis(200));
        StageCommand second = commands.readValue();
        assertThat(second.getAttempt()).isEqualTo(2);
        assertThat(second.getAttemptId()).isEqualTo("run-1/fetch/2");

        results.pipeInput("run-1", result(second, ResultType.STARTED, null));
        results.pipeInput("run-1", result(second, ResultType.FINISHED, Outcome.SUCCEEDED));
        assertThat(commands.readValue().getStage()).isEqualTo("store");
    }

    @Test
    void attemptWhoseWorkerFallsSilentIsDeclaredLostAndRetried() {
        request("run-2");
        StageCommand first = commands.readValue();
        results.pipeInput("run-2", result(first, ResultType.STARTED, null));

        driver.advanceWallClockTime(EngineEvent.HEARTBEAT_TIMEOUT.plusMillis(200));
        StageCommand cancel = commands.readValue();
        assertThat(cancel.getAction()).isEqualTo(CommandAction.CANCEL);
        assertThat(cancel.getAttemptId()).isEqualTo(first.getAttemptId());

        driver.advanceWallClockTime(Duration.ofSeconds(2));
        StageCommand retry = commands.readValue();
        assertThat(retry.getAction()).isEqualTo(CommandAction.EXECUTE);
        assertThat(retry.getAttempt()).isEqualTo(2);

        results.pipeInput("run-2", result(first, ResultType.FINISHED, Outcome.SUCCEEDED));
        assertThat(commands.isEmpty()).as("the lost attempt's late result changes nothing").isTrue();
    }

    @Test
    void duplicateRequestAndRedeliveredResultsDispatchNothingTwice() {
        request("run-3");
        request("run-3");
        StageCommand first = commands.readValue();
        assertThat(commands.isEmpty()).isTrue();

        StageResult finished = result(first, ResultType.FINISHED, Outcome.SUCCEEDED);
        results.pipeInput("run-3", result(first, ResultType.STARTED, null));
        results.pipeInput("run-3", finished);
        results.pipeInput("run-3", finished);
        assertThat(commands.readValuesToList()).extracting(StageCommand::getStage).containsExactly("store");
    }

    @Test
    void cancelledRunTellsWorkersToStopAndPublishesItsEnd() {
        request("run-4");
        StageCommand first = commands.readValue();
        results.pipeInput("run-4", result(first, ResultType.STARTED, null));
        control.pipeInput("run-4", Control.newBuilder().setRunId("run-4").setAction(ControlAction.CANCEL)
                .setBy("alice").setAt(START).build());

        assertThat(commands.readValue().getAction()).isEqualTo(CommandAction.CANCEL);
        Map<String, RunSnapshot> latest = runs.readKeyValuesToMap();
        assertThat(latest.get("run-4").getStatus()).isEqualTo("CANCELLED");
        List<String> types = runEvents.readValuesToList().stream().map(RunEvent::getType).toList();
        assertThat(types).endsWith("RUN_CANCELLED");
        assertThat(notifications.readValuesToList()).extracting(Notification::getEvent).containsExactly("on_failure");
    }

    @Test
    void requestForAnUnknownPipelineEndsFailedWithItsReason() {
        requests.pipeInput("run-5", RunRequested.newBuilder().setRunId("run-5").setPipeline("nope")
                .setTrigger(TriggerType.EVENT).setRequestedAt(START).build());
        RunSnapshot snapshot = runs.readValue();
        assertThat(snapshot.getStatus()).isEqualTo("FAILED");
        assertThat(snapshot.getReason()).isEqualTo("no pipeline named \"nope\" is registered");
        assertThat(commands.isEmpty()).isTrue();
    }

    private void request(String runId) {
        requests.pipeInput(runId, RunRequested.newBuilder().setRunId(runId).setPipeline("flaky")
                .setTrigger(TriggerType.MANUAL).setRequestedBy("test").setRequestedAt(START).build());
    }

    private static StageResult result(StageCommand command, ResultType type, Outcome outcome) {
        return StageResult.newBuilder().setRunId(command.getRunId()).setStage(command.getStage())
                .setAttempt(command.getAttempt()).setAttemptId(command.getAttemptId()).setType(type)
                .setOutcome(outcome).setExitCode(outcome == Outcome.FAILED ? 1 : 0).setDurationMillis(5L)
                .setWorker("w1").setAt(START).build();
    }
}
