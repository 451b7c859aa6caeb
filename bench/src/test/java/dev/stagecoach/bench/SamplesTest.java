package dev.stagecoach.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void percentilesOfOneToHundredAreTheirRanks() {
        Samples samples = new Samples();
        for (int i = 100; i >= 1; i--) {
            samples.add(i);
        }

        assertThat(samples.percentile(50)).isEqualTo(50);
        assertThat(samples.percentile(99)).isEqualTo(99);
        assertThat(samples.percentile(100)).isEqualTo(100);
        assertThat(samples.percentile(0.5)).isEqualTo(1);
        assertThat(samples.mean()).isEqualTo(50.5);
    }

    @Test
    void nearestRankRoundsUpSoThePercentileIsAMeasuredValue() {
        Samples samples = new Samples();
        for (double value : new double[] {15, 20, 35, 40, 50}) {
            samples.add(value);
        }

        assertThat(samples.percentile(30)).isEqualTo(20);
        assertThat(samples.percentile(40)).isEqualTo(20);
        assertThat(samples.percentile(50)).isEqualTo(35);
        assertThat(samples.percentile(99)).isEqualTo(50);
    }

    @Test
    void aSingleSampleIsEveryPercentile() {
        Samples samples = new Samples();
        samples.add(7.5);

        assertThat(samples.percentile(1)).isEqualTo(7.5);
        assertThat(samples.percentile(99)).isEqualTo(7.5);
        assertThat(samples.max()).isEqualTo(7.5);
    }

    @Test
    void addingAfterAPercentileKeepsTheOrderRight() {
        Samples samples = new Samples();
        samples.add(3);
        samples.add(1);
        assertThat(samples.percentile(100)).isEqualTo(3);

        samples.add(2);
        samples.add(0);

        assertThat(samples.percentile(50)).isEqualTo(1);
        assertThat(samples.count()).isEqualTo(4);
    }

    @Test
    void growsBeyondItsFirstCapacity() {
        Samples samples = new Samples();
        for (int i = 0; i < 10_000; i++) {
            samples.add(i % 100);
        }

        assertThat(samples.count()).isEqualTo(10_000);
        assertThat(samples.percentile(99)).isEqualTo(98);
    }

    @Test
    void emptySamplesHaveNoPercentileAndSayWhy() {
        assertThatThrownBy(() -> new Samples().percentile(50)).hasMessageContaining("no samples");
        assertThatThrownBy(() -> new Samples().percentile(0)).hasMessageContaining("(0, 100]");
    }
}
