package dev.stagecoach.scheduler.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.events.ResultType;
import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.Topics;
import dev.stagecoach.events.TriggerType;
import dev.stagecoach.scheduler.engine.EngineEvent;
import dev.stagecoach.scheduler.engine.EngineSettings;
import dev.stagecoach.scheduler.engine.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An instance that takes runs over after a long fail-over finds heartbeat deadlines already
 * past, and the heartbeats that arrived meanwhile still waiting in its input. Its timers wait
 * a moment after the task starts, so that those heartbeats count first.
 */
class TakeoverTopologyTest {

    static final Topics TOPICS = new Topics("stagecoach.");
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final String PIPELINE = "pipeline: {name: long, stages: [{name: work, run: ./work, timeout: 1h}]}";

    @ParameterizedTest
    @CsvSource({"5, false", "0, true"})
    void aHeartbeatThatWaitedDuringTheFailOverKeepsItsAttempt(int heldSeconds, boolean lostWithoutHold) throws Exception {
        RunState running;
        List<KeyValue<String, String>> timers;
        try (TopologyTestDriver previousOwner = driver(Duration.ZERO, START)) {
            StageCommand work = start(previousOwner);
            TestDrivers.input(previousOwner, TOPICS.results())
                    .pipeInput("run-1", TestDrivers.result(work, ResultType.STARTED, null, START));
            running = previousOwner.<String, RunState>getKeyValueStore(RunEngineTopology.RUNS_STORE).get("run-1");
            try (var all = previousOwner.<String, String>getKeyValueStore(RunEngineTopology.TIMERS_STORE).all()) {
                timers = iterate(all);
            }
        }

        Instant takeover = START.plus(EngineEvent.HEARTBEAT_TIMEOUT).plusSeconds(10);
        try (TopologyTestDriver nextOwner = driver(Duration.ofSeconds(heldSeconds), takeover)) {
            nextOwner.<String, RunState>getKeyValueStore(RunEngineTopology.RUNS_STORE).put("run-1", running);
            KeyValueStore<String, String> timerStore = nextOwner.getKeyValueStore(RunEngineTopology.TIMERS_STORE);
            timers.forEach(timer -> timerStore.put(timer.key, timer.value));
            var commands = TestDrivers.output(nextOwner, TOPICS.commands("default"));
            StageCommand work = StageCommand.newBuilder().setRunId("run-1").setStage("work").setAttempt(1)
                    .setAttemptId(running.stage("work").attemptId()).setAction(CommandAction.EXECUTE).setPool("default")
                    .setKind("shell").setCommand("").setTimeoutMillis(0).setIssuedAt(START).build();

            nextOwner.advanceWallClockTime(Duration.ofMillis(200));
            TestDrivers.input(nextOwner, TOPICS.results())
                    .pipeInput("run-1", TestDrivers.result(work, ResultType.HEARTBEAT, null, takeover));
            nextOwner.advanceWallClockTime(Duration.ofSeconds(heldSeconds + 1));

            assertThat(commands.readValuesToList()).extracting(StageCommand::getAction)
                    .as(lostWithoutHold ? "the overdue heartbeat deadline fires first" : "the waiting heartbeat counts first")
                    .containsExactlyElementsOf(lostWithoutHold ? List.of(CommandAction.CANCEL) : List.of());
        }
    }

    private static TopologyTestDriver driver(Duration held, Instant at) throws Exception {
        return TestDrivers.of(RunEngineTopology.build(TOPICS, new EngineTiming(Duration.ofMillis(100), Duration.ZERO, held),
                EngineSettings.DEFAULTS, CommandTopicCheck.ANY, deadLetter -> { }), "takeover-test", at);
    }

    private static StageCommand start(TopologyTestDriver driver) {
        TestDrivers.input(driver, TOPICS.pipelines())
                .pipeInput("long", PipelineRegistered.newBuilder().setName("long").setRevision(1).setYaml(PIPELINE)
                        .setSha256("l").setRegisteredAt(START).build());
        TestDrivers.input(driver, TOPICS.runRequests())
                .pipeInput("run-1", RunRequested.newBuilder().setRunId("run-1").setPipeline("long")
                        .setTrigger(TriggerType.MANUAL).setRequestedBy("test").setRequestedAt(START).build());
        return TestDrivers.output(driver, TOPICS.commands("default"))
                .readValue();
    }

    private static List<KeyValue<String, String>> iterate(java.util.Iterator<KeyValue<String, String>> all) {
        List<KeyValue<String, String>> list = new java.util.ArrayList<>();
        all.forEachRemaining(list::add);
        return list;
    }
}
