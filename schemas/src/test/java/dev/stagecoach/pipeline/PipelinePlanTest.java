package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelinePlanTest {

    static final String DIAMOND = """
            pipeline:
              name: diamond
              type: hybrid
              options:
                parallel_workers: 2
                retry_policy: {max_attempts: 4, backoff: exponential, initial_delay: 2s, max_delay: 5s}
              parameters:
                token: {type: string, secret: true}
              stages:
                - {name: a, run: x}
                - {name: b, run: x, needs: [a]}
                - {name: c, run: x, needs: [a], manual_approval: {approvers: [alice], timeout: 1h}}
                - {name: d, run: x, needs: [b, c]}
              finally:
                - {name: clean, run: x}
            """;

    @Test
    void wavesFollowTheNeedsAndIndependentStagesShareAWave() {
        PipelinePlan plan = PipelinePlan.of(PipelineLoader.load(DIAMOND, "d.yaml").orThrow(), Map.of());
        assertThat(plan.waves()).extracting(wave -> wave.stream().map(PipelinePlan.StagePlan::name).toList())
                .containsExactly(List.of("a"), List.of("b", "c"), List.of("d"));
        assertThat(plan.finallyStages()).extracting(PipelinePlan.StagePlan::name).containsExactly("clean");
    }

    @Test
    void retryScheduleFollowsTheBackoffFormulaUpToItsCap() {
        PipelinePlan plan = PipelinePlan.of(PipelineLoader.load(DIAMOND, "d.yaml").orThrow(), Map.of());
        assertThat(plan.waves().get(0).get(0).retryDelays())
                .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5));
    }

    @Test
    void renderedPlanShowsParallelismApprovalsAndMasksSecrets() {
        String text = PipelinePlan.of(PipelineLoader.load(DIAMOND, "d.yaml").orThrow(), Map.of("token", "s3cr3t")).render();
        assertThat(text).contains("wave 2 (2 stages and shards, up to 2 at once)", "waits for approval by alice within 1h",
                "4 attempts, waits 2s, 4s, 5s", "token=***", "finally, whatever the outcome").doesNotContain("s3cr3t");
    }

    @Test
    void seedLayoutLetsARunSetItsTimeoutWithinTheDeclaredBound() throws Exception {
        PipelineDefinition seed = PipelineLoader.load(java.nio.file.Files.readString(java.nio.file.Path.of("../examples/seed-pipeline.yaml")),
                "seed-pipeline.yaml").orThrow();
        String text = PipelinePlan.of(seed, Map.of("source", "s3://in", "environment", "dev", "timeout", "1h")).render();
        assertThat(text).contains("run timeout 1h, at most 4 stages in flight", "processing [noop on default] timeout 30m, 4 shards",
                "wave 3 (4 shards, up to 4 at once)", "deployment [noop on default] timeout 20m, 3 attempts, waits 5s, 10s, waits for approval");
        assertThatThrownBy(() -> PipelinePlan.of(seed, Map.of("source", "s3://in", "environment", "dev", "timeout", "3h")))
                .hasMessage("parameter \"timeout\": \"3h\" is above the maximum 2h");
    }

    @Test
    void anOrdinaryParameterNamedLikeAnOptionIsHeldToTheHardBounds() {
        PipelineDefinition definition = PipelineLoader.load("""
                pipeline:
                  name: loose
                  parameters:
                    parallel_workers: {type: integer}
                    timeout: {type: duration}
                  stages: [{name: a, run: x}]
                """, "l.yaml").orThrow();
        Options options = definition.optionsFor(Map.of("parallel_workers", "0", "timeout", "5h"));
        assertThat(options.parallelWorkers()).isEqualTo(1);
        assertThat(options.timeout()).isEqualTo(Options.MAX_TIMEOUT);
        assertThat(definition.optionsFor(Map.of("parallel_workers", "99")).parallelWorkers()).isEqualTo(Options.MAX_PARALLEL_WORKERS);
    }

    @Test
    void sequentialPipelineHasOneStagePerWave() {
        PipelinePlan plan = PipelinePlan.of(PipelineLoader.load("""
                pipeline:
                  name: seq
                  stages: [{name: a, run: x}, {name: b, run: x}, {name: c, run: x}]
                """, "s.yaml").orThrow(), Map.of());
        assertThat(plan.waves()).hasSize(3);
    }

    @Test
    void wrongParametersAreRefusedWithEveryProblem() {
        PipelineDefinition definition = PipelineLoader.load(DIAMOND, "d.yaml").orThrow();
        assertThatThrownBy(() -> PipelinePlan.of(definition, Map.of("tokn", "x")))
                .isInstanceOfSatisfying(InvalidParametersException.class,
                        e -> assertThat(e.problems()).singleElement().asString().contains("did you mean \"token\""));
    }

    @Test
    void withJitterTheRetryScheduleIsShownAsARange() {
        PipelineDefinition jittery = PipelineLoader.load("""
                pipeline:
                  name: jittery
                  options:
                    retry_policy: {max_attempts: 4, backoff: exponential, initial_delay: 2s, max_delay: 5s, jitter: 0.25}
                  stages:
                    - {name: upload, run: ./upload.sh}
                    - {name: steady, run: ./steady.sh, retry: {max_attempts: 2, initial_delay: 1s}}
                """, "jittery.yaml").orThrow();

        PipelinePlan plan = PipelinePlan.of(jittery, Map.of());

        assertThat(plan.waves().get(0).get(0).shortestRetryDelays())
                .containsExactly(Duration.ofMillis(1500), Duration.ofSeconds(3), Duration.ofMillis(3750));
        assertThat(plan.render()).contains("upload [shell on default] timeout 10m, 4 attempts, waits 1s500ms..2s, 3s..4s, 3s750ms..5s\n",
                "steady [shell on default] timeout 10m, 2 attempts, waits 1s, after upload\n");
    }
}
