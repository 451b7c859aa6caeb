package dev.stagecoach.scheduler.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.Outcome;
import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.events.ResultType;
import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.RunSnapshot;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.StageResult;
import dev.stagecoach.events.StageSnapshot;
import dev.stagecoach.events.Topics;
import dev.stagecoach.events.TriggerType;
import dev.stagecoach.pipeline.PipelineLoader;
import dev.stagecoach.scheduler.engine.RunState;
import dev.stagecoach.scheduler.report.RunReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A fanned-out stage's metrics, combined as its {@code aggregate} says, through the real
 * topology: the way production hands the engine its definition (the unit tests' driver hands
 * it over directly, which once hid that the topology's copy had lost the aggregation).
 */
class FanoutTopologyTest {

    static final Topics TOPICS = new Topics("stagecoach.");
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    TopologyTestDriver driver;
    TestInputTopic<String, StageResult> results;
    TestOutputTopic<String, StageCommand> commands;
    TestOutputTopic<String, RunSnapshot> runs;

    @BeforeEach
    void start() throws Exception {
        driver = TestDrivers.of(TOPICS, "fanout-topology-test", START);
        results = TestDrivers.input(driver, TOPICS.results());
        commands = TestDrivers.output(driver, TOPICS.commands("default"));
        runs = TestDrivers.output(driver, TOPICS.runs());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @ParameterizedTest
    @CsvSource({"min, 70, true", "max, 95, false", "avg, 85, false", "sum, 255, false"})
    void shardsMetricsAreCombinedAsDeclaredForConditionsInterpolationAndTheReport(String aggregation, int combined,
                                                                                boolean lowCoverageStageRuns) {
        String yaml = """
                pipeline:
                  name: cover
                  stages:
                    - name: test
                      parallel: 3
                      critical: false
                      aggregate: {coverage: %s}
                      gates: [{metric: coverage, min: 60}]
                      run: ./test
                    - name: low-coverage
                      needs: [test]
                      when: stages.test.metrics.coverage < 80
                      run: echo low
                    - name: publish
                      needs: [low-coverage]
                      env: {COVERAGE: "${{ stages.test.metrics.coverage }}"}
                      run: echo "$COVERAGE"
                """.formatted(aggregation);
        TestDrivers.input(driver, TOPICS.pipelines())
                .pipeInput("cover", PipelineRegistered.newBuilder().setName("cover").setRevision(1).setYaml(yaml)
                        .setSha256("c").setRegisteredAt(START).build());
        TestDrivers.input(driver, TOPICS.runRequests())
                .pipeInput("run-1", RunRequested.newBuilder().setRunId("run-1").setPipeline("cover")
                        .setTrigger(TriggerType.MANUAL).setRequestedBy("test").setRequestedAt(START).build());

        List<StageCommand> shards = commands.readValuesToList();
        assertThat(shards).extracting(StageCommand::getStage).containsExactly("test#0", "test#1", "test#2");
        double[] coverage = {70, 90, 95};
        for (int i = 0; i < shards.size(); i++) {
            results.pipeInput("run-1", finished(shards.get(i), Map.of("coverage", coverage[i])));
        }

        List<StageCommand> next = commands.readValuesToList();
        if (lowCoverageStageRuns) {
            assertThat(next).extracting(StageCommand::getStage).containsExactly("low-coverage");
            results.pipeInput("run-1", finished(next.get(0), Map.of()));
            next = commands.readValuesToList();
        }
        assertThat(next).extracting(StageCommand::getStage).containsExactly("publish");
        assertThat(next.get(0).getEnv()).containsEntry("COVERAGE", Integer.toString(combined));

        RunState run = driver.<String, RunState>getKeyValueStore(RunEngineTopology.RUNS_STORE).get("run-1");
        assertThat(run.stage("low-coverage").status().name()).isEqualTo(lowCoverageStageRuns ? "SUCCEEDED" : "SKIPPED");
        String report = RunReport.render(run, PipelineLoader.load(yaml, "cover.yaml").orThrow());
        assertThat(report).contains("coverage = " + (double) combined + " (" + aggregation + ")");
        List<StageSnapshot> snapshot = runs.readValuesToList().get(0).getStages();
        assertThat(snapshot).filteredOn(s -> s.getName().startsWith("test#")).hasSize(3)
                .allSatisfy(shard -> assertThat(shard.getCritical()).as("a shard of a non-critical stage").isFalse());
    }

    private static StageResult finished(StageCommand command, Map<String, Double> metrics) {
        return StageResult.newBuilder(TestDrivers.result(command, ResultType.FINISHED, Outcome.SUCCEEDED, START))
                .setMetrics(metrics).build();
    }
}
