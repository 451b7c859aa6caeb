package dev.stagecoach.scheduler.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.ArtifactRef;
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
import dev.stagecoach.scheduler.engine.Artifact;
import dev.stagecoach.scheduler.engine.EngineEvent;
import dev.stagecoach.scheduler.engine.RunState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
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
    static final Duration SNAPSHOT_INTERVAL = Duration.ofMillis(500);

    TestInputTopic<String, RunRequested> requests;
    TestInputTopic<String, StageResult> results;
    TestInputTopic<String, Control> control;
    TestOutputTopic<String, StageCommand> commands;
    TestOutputTopic<String, RunSnapshot> runs;
    TestOutputTopic<String, RunEvent> runEvents;
    TestOutputTopic<String, Notification> notifications;

    @BeforeEach
    void start() throws Exception {
        driver = TestDrivers.of(TOPICS, "topology-test", START, SNAPSHOT_INTERVAL);
        pipelines = TestDrivers.input(driver, TOPICS.pipelines());
        requests = TestDrivers.input(driver, TOPICS.runRequests());
        results = TestDrivers.input(driver, TOPICS.results());
        control = TestDrivers.input(driver, TOPICS.control());
        commands = TestDrivers.output(driver, TOPICS.commands("default"));
        runs = TestDrivers.output(driver, TOPICS.runs());
        runEvents = TestDrivers.output(driver, TOPICS.runEvents());
        notifications = TestDrivers.output(driver, TOPICS.notifications());

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
        TestRecord<String, StageCommand> execute = commands.readRecord();
        StageCommand first = execute.value();
        results.pipeInput("run-4", result(first, ResultType.STARTED, null));
        control.pipeInput("run-4", Control.newBuilder().setRunId("run-4").setAction(ControlAction.CANCEL)
                .setBy("alice").setAt(START).build());

        TestRecord<String, StageCommand> cancel = commands.readRecord();
        assertThat(cancel.value().getAction()).isEqualTo(CommandAction.CANCEL);
        assertThat(actionHeader(cancel)).as("workers pick cancels out by this header").isEqualTo("CANCEL");
        assertThat(actionHeader(execute)).isEqualTo("EXECUTE");
        Map<String, RunSnapshot> latest = runs.readKeyValuesToMap();
        assertThat(latest.get("run-4").getStatus()).isEqualTo("CANCELLED");
        List<String> types = runEvents.readValuesToList().stream().map(RunEvent::getType).toList();
        assertThat(types).endsWith("RUN_CANCELLED");
        assertThat(notifications.readValuesToList()).extracting(Notification::getEvent).containsExactly("on_failure");
    }

    @Test
    void runningRunIsSnapshottedOncePerIntervalWithItsLatestStateAndItsEndAtOnce() {
        request("run-6");
        StageCommand first = commands.readValue();
        results.pipeInput("run-6", result(first, ResultType.STARTED, null));
        assertThat(runs.isEmpty()).as("changes within the interval wait").isTrue();

        driver.advanceWallClockTime(SNAPSHOT_INTERVAL);
        RunSnapshot running = runs.readValue();
        assertThat(running.getStatus()).isEqualTo("RUNNING");
        assertThat(running.getStages()).filteredOn(s -> s.getName().equals("fetch"))
                .singleElement().extracting(s -> s.getStatus()).isEqualTo("RUNNING");
        assertThat(runs.isEmpty()).as("one snapshot for the created, dispatched and started changes").isTrue();

        driver.advanceWallClockTime(SNAPSHOT_INTERVAL);
        assertThat(runs.isEmpty()).as("nothing changed, nothing published").isTrue();

        control.pipeInput("run-6", Control.newBuilder().setRunId("run-6").setAction(ControlAction.CANCEL)
                .setBy("alice").setAt(START).build());
        assertThat(runs.readValue().getStatus()).as("an end is not held back").isEqualTo("CANCELLED");
        driver.advanceWallClockTime(SNAPSHOT_INTERVAL);
        assertThat(runs.isEmpty()).isTrue();
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

    @Test
    void anHttpStageGetsItsRenderedInputsAndTheArtifactsAWorkerKeptReachTheRun() {
        pipelines.pipeInput("ship", PipelineRegistered.newBuilder().setName("ship").setRevision(1).setYaml("""
                pipeline:
                  name: ship
                  stages:
                    - {name: build, run: make dist, artifacts: [dist/*.tar.gz]}
                    - name: announce
                      uses: http
                      with: {url: "http://hooks.local/${{ run.id }}", method: POST, body: "${{ stages.build.status }}"}
                """).setSha256("y").setRegisteredAt(START).build());
        requests.pipeInput("run-6", RunRequested.newBuilder().setRunId("run-6").setPipeline("ship")
                .setTrigger(TriggerType.MANUAL).setRequestedBy("test").setRequestedAt(START).build());
        StageCommand build = commands.readValue();
        assertThat(build.getArtifacts()).containsExactly("dist/*.tar.gz");

        ArtifactRef kept = ArtifactRef.newBuilder().setPath("dist/app.tar.gz").setLocation("file:///kept/dist/app.tar.gz")
                .setSizeBytes(3).setSha256("abc").build();
        results.pipeInput("run-6", StageResult.newBuilder(result(build, ResultType.FINISHED, Outcome.SUCCEEDED))
                .setArtifacts(List.of(kept)).build());

        StageCommand announce = commands.readValue();
        assertThat(announce.getKind()).isEqualTo("http");
        assertThat(announce.getInputs()).containsEntry("url", "http://hooks.local/run-6").containsEntry("method", "POST")
                .containsEntry("body", "SUCCEEDED");
        KeyValueStore<String, RunState> store = driver.getKeyValueStore(RunEngineTopology.RUNS_STORE);
        assertThat(store.get("run-6").stage("build").artifacts())
                .containsExactly(new Artifact("dist/app.tar.gz", "file:///kept/dist/app.tar.gz", 3, "abc"));
    }

    private static String actionHeader(TestRecord<String, StageCommand> command) {
        return new String(command.headers().lastHeader(Topics.COMMAND_ACTION_HEADER).value(), StandardCharsets.US_ASCII);
    }

    private void request(String runId) {
        requests.pipeInput(runId, RunRequested.newBuilder().setRunId(runId).setPipeline("flaky")
                .setTrigger(TriggerType.MANUAL).setRequestedBy("test").setRequestedAt(START).build());
    }

    private static StageResult result(StageCommand command, ResultType type, Outcome outcome) {
        return TestDrivers.result(command, type, outcome, START);
    }
}
