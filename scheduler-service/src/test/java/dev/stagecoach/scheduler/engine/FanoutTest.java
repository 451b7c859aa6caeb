package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FanoutTest {

    static final String SHARDED = """
            pipeline:
              name: sharded
              options:
                parallel_workers: 3
                retry_policy: {max_attempts: 2, initial_delay: 1s}
              stages:
                - {name: prepare, run: x}
                - {name: process, run: ./process, parallel: 4}
                - {name: publish, run: x}
            """;

    @Test
    void shardsRunAsAttemptsOfTheirOwnWithinTheCap() {
        EngineDriver run = new EngineDriver(SHARDED).start(Map.of()).started("prepare").succeeded("prepare");

        assertThat(run.dispatchedStages()).containsExactly("prepare", "process#0", "process#1", "process#2");
        Effect.DispatchStage shard = run.dispatches().get(2);
        assertThat(shard.env()).containsEntry("STAGECOACH_SHARD_INDEX", "1").containsEntry("STAGECOACH_SHARD_COUNT", "4");
        assertThat(shard.attemptId()).isEqualTo("run-1/process#1/1");

        run.started("process#0").succeeded("process#0");
        assertThat(run.dispatchedStages()).endsWith("process#3");
    }

    @Test
    void aFailedShardRetriesAloneAndTheNextStageWaitsForEveryShard() {
        EngineDriver run = new EngineDriver(SHARDED).start(Map.of()).started("prepare").succeeded("prepare");
        run.started("process#0").succeeded("process#0").started("process#1").failed("process#1", 1);
        run.started("process#2").succeeded("process#2").started("process#3").succeeded("process#3");
        assertThat(run.dispatchedStages()).doesNotContain("publish");

        run.advance(Duration.ofSeconds(1)).fireDueTimers();
        assertThat(run.dispatches()).extracting(Effect.DispatchStage::attemptId).contains("run-1/process#1/2");
        run.started("process#1").succeeded("process#1");
        assertThat(run.dispatchedStages()).endsWith("publish");
        assertThat(run.dispatchedStages()).filteredOn(s -> s.startsWith("process#0")).hasSize(1);
    }

    @Test
    void matrixMakesOneShardPerCombinationWithItsValues() {
        EngineDriver run = new EngineDriver("""
                pipeline:
                  name: matrix
                  options: {parallel_workers: 16}
                  stages:
                    - name: test
                      run: ./test
                      matrix: {os: [linux, mac], jdk: ["17", "21", "25"]}
                """).start(Map.of());
        assertThat(run.dispatches()).hasSize(6);
        assertThat(run.dispatches()).extracting(d -> d.env().get("MATRIX_OS") + "/" + d.env().get("MATRIX_JDK"))
                .containsExactly("linux/17", "linux/21", "linux/25", "mac/17", "mac/21", "mac/25");
    }

    @Test
    void aFannedOutStageCombinesItsShardsMetricsAsDeclaredAndKeepsOutputsByShard() {
        EngineDriver run = new EngineDriver("""
                pipeline:
                  name: combined
                  options: {parallel_workers: 3}
                  stages:
                    - name: test
                      run: ./test
                      parallel: 3
                      aggregate: {coverage: min, duration: max}
                    - name: publish
                      run: ./publish
                      when: stages.test.metrics.coverage >= 80 && stages.test.metrics.tests == 30
                      env:
                        COVERAGE: "${{ stages.test.metrics.coverage }}% over ${{ stages.test.metrics.tests }} tests"
                """).start(Map.of());
        double[] coverage = {91, 84.5, 88};
        for (int i = 0; i < 3; i++) {
            String shard = "test#" + i;
            run.started(shard).apply(new EngineEvent.StageFinished(shard, run.attemptId(shard), EngineEvent.Outcome.SUCCEEDED,
                    0, 5L, null, List.of(), Map.of("coverage", coverage[i], "tests", 10.0, "duration", 3.0 + i),
                    Map.of("report", "shard-" + i + ".xml"), List.of()));
        }

        StageResults.Result test = StageResults.of("test", run.state, run.definition).orElseThrow();
        assertThat(test.status()).isEqualTo("SUCCEEDED");
        assertThat(test.metrics()).containsEntry("coverage", 84.5).containsEntry("tests", 30.0).containsEntry("duration", 5.0);
        assertThat(test.outputsByShard()).containsEntry(1, Map.of("report", "shard-1.xml")).hasSize(3);
        assertThat(run.dispatchedStages()).endsWith("publish");
        assertThat(run.dispatches().get(3).env()).containsEntry("COVERAGE", "84.5% over 30 tests");
    }

    @Test
    void aLaterStageReadsAnEarlierStagesOutputThroughItsEnvironment() {
        EngineDriver run = new EngineDriver("""
                pipeline:
                  name: outputs
                  stages:
                    - name: build
                      run: ./build
                      outputs: [version]
                    - name: deploy
                      needs: [build]
                      run: ./deploy
                      env: {VERSION: "v${{ stages.build.outputs.version }}"}
                """).start(Map.of()).started("build");
        run.apply(new EngineEvent.StageFinished("build", run.attemptId("build"), EngineEvent.Outcome.SUCCEEDED, 0, 5L, null,
                List.of(), Map.of(), Map.of("version", "1.4.2"), List.of()));

        assertThat(run.dispatches().get(1).env()).containsEntry("VERSION", "v1.4.2");
    }
}
