package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
}
