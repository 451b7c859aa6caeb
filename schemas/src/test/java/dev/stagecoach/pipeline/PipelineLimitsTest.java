package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PipelineLimitsTest {

    private static final PipelineLimits SMALL = new PipelineLimits(4096, 3, 10, 16);

    @Test
    void aFileLargerThanTheLimitIsRefusedWithoutBeingRead() {
        String yaml = "pipeline:\n  name: big\n  description: \"" + "x".repeat(5000) + "\"\n  stages:\n    - {name: a, run: 'true'}\n";

        LoadResult result = PipelineLoader.load(yaml, "big.yaml", SMALL);

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).singleElement().hasToString(
                "big.yaml: pipeline: the file is larger than 4 KiB, the most a pipeline may be (stagecoach.limits.pipeline-bytes); it was not read");
    }

    @Test
    void multiByteCharactersCountAsTheBytesTheyTake() {
        // 1500 characters, 4500 bytes of UTF-8.
        String yaml = "pipeline:\n  name: big\n  description: \"" + "€".repeat(1500) + "\"\n  stages:\n    - {name: a, run: 'true'}\n";

        assertThat(PipelineLoader.load(yaml, "big.yaml", SMALL).errors()).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("larger than 4 KiB"));
    }

    @Test
    void morePipelineStagesThanTheLimitIsAnErrorAtTheStagesKey() {
        String yaml = """
                pipeline:
                  name: many
                  stages:
                %s
                  finally:
                    - {name: cleanup, run: 'true'}
                """.formatted(IntStream.range(0, 3).mapToObj(i -> "    - {name: s" + i + ", run: 'true'}").collect(Collectors.joining("\n")));

        LoadResult result = PipelineLoader.load(yaml, "many.yaml", SMALL);

        assertThat(result.errors()).singleElement().hasToString("many.yaml:4:5 pipeline.stages: the pipeline has 4 stages"
                + " (finally stages included); at most 3 are allowed (stagecoach.limits.stages)");
    }

    @Test
    void aMatrixThatBringsTheRunPastTheShardLimitIsAnErrorAtThatMatrix() {
        String yaml = """
                pipeline:
                  name: fan
                  stages:
                    - name: build
                      parallel: 5
                      run: 'true'
                    - name: test
                      matrix: {os: [linux, mac, windows], jdk: ["17", "21"]}
                      run: 'true'
                """;

        LoadResult result = PipelineLoader.load(yaml, "fan.yaml", SMALL);

        assertThat(result.errors()).singleElement().hasToString("fan.yaml:8:15 pipeline.stages[1].matrix: stage \"test\": the matrix"
                + " of 6 combinations brings the run to 11 shards; a run may have at most 10 (stagecoach.limits.shards)");
    }

    @Test
    void parallelTrueCountsAsTheRunsParallelWorkers() {
        String yaml = """
                pipeline:
                  name: fan
                  options: {parallel_workers: 11}
                  stages:
                    - {name: test, parallel: true, run: 'true'}
                """;

        assertThat(PipelineLoader.load(yaml, "fan.yaml", SMALL).errors()).singleElement()
                .satisfies(d -> assertThat(d.message()).isEqualTo("stage \"test\": parallel: 11 brings the run to 11 shards;"
                        + " a run may have at most 10 (stagecoach.limits.shards)"));
    }

    @Test
    void aMatrixWhoseCombinationsOverflowAnIntIsRefusedNotWrappedRound() {
        String values = IntStream.range(0, 256).mapToObj(i -> "v" + i).collect(Collectors.joining(", ", "[", "]"));
        String yaml = """
                pipeline:
                  name: huge
                  stages:
                    - name: test
                      matrix: {a: %1$s, b: %1$s, c: %1$s, d: %1$s}
                      run: 'true'
                """.formatted(values);

        LoadResult result = PipelineLoader.load(yaml, "huge.yaml", PipelineLimits.DEFAULTS);

        assertThat(result.errors()).singleElement().hasToString("huge.yaml:5:15 pipeline.stages[0].matrix: the matrix makes 4294967296 shards;"
                + " at most 1000 are allowed");
    }

    @Test
    void theDefaultsLetTheBenchsThousandShardFanOutThrough() {
        String yaml = """
                pipeline:
                  name: fanout
                  options: {parallel_workers: 16}
                  stages:
                    - {name: shards, parallel: 1000, uses: noop}
                """;

        assertThat(PipelineLoader.load(yaml, "fanout.yaml", PipelineLimits.DEFAULTS).errors()).isEmpty();
    }

    @Test
    void aParameterValueLongerThanTheLimitIsRefusedNamingTheLimit() {
        PipelineDefinition definition = PipelineLoader.load("""
                pipeline:
                  name: p
                  parameters:
                    note: {type: string, pattern: '.*'}
                  stages:
                    - {name: a, run: 'true'}
                """, "p.yaml", SMALL).orThrow();

        assertThat(ParameterBinder.bind(definition, Map.of("note", "x".repeat(16)), SMALL)).containsEntry("note", "x".repeat(16));
        assertThatThrownBy(() -> ParameterBinder.bind(definition, Map.of("note", "x".repeat(17)), SMALL))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("parameter \"note\": the value has 17 characters; at most 16 are allowed (stagecoach.limits.parameter-chars)");
    }
}
