package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AggregationTest {

    static final List<Double> SHARDS = List.of(84.0, 90.0, 87.0, 91.0);

    @Test
    void eachAggregationCombinesTheShardsValues() {
        assertThat(Aggregation.SUM.combine(SHARDS)).isEqualTo(352.0);
        assertThat(Aggregation.MIN.combine(SHARDS)).isEqualTo(84.0);
        assertThat(Aggregation.MAX.combine(SHARDS)).isEqualTo(91.0);
        assertThat(Aggregation.AVG.combine(SHARDS)).isEqualTo(88.0);
    }

    @Test
    void oneShardsValueIsItsOwnAggregate() {
        for (Aggregation aggregation : Aggregation.values()) {
            assertThat(aggregation.combine(List.of(-2.5))).as(aggregation.name()).isEqualTo(-2.5);
        }
    }

    @Test
    void aMetricNoShardReportedHasNothingToCombine() {
        assertThatThrownBy(() -> Aggregation.AVG.combine(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no values to combine: a metric no shard reported has no value");
    }

    @Test
    void metricsTheStageDoesNotNameAreSummed() {
        StageSpec test = PipelineLoader.load("""
                pipeline:
                  name: fan
                  stages:
                    - name: test
                      parallel: 4
                      run: ./test.sh
                      aggregate: {coverage: avg, duration_s: MAX}
                """, "fan.yaml").orThrow().stages().get(0);

        assertThat(test.aggregate()).containsExactly(Map.entry("coverage", Aggregation.AVG), Map.entry("duration_s", Aggregation.MAX));
        assertThat(test.aggregationOf("coverage")).isEqualTo(Aggregation.AVG);
        assertThat(test.aggregationOf("failures")).isEqualTo(Aggregation.SUM);
    }
}
