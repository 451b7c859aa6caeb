package dev.stagecoach.scheduler.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommitPacingTest {

    private final CommitPacing pacing = new CommitPacing(Duration.ofMillis(5));

    @Test
    void aQuietHandOffCommitsAtOnce() {
        assertThat(pacing.handedOn(1_000)).isTrue();
        assertThat(pacing.handedOn(1_050)).isTrue();
    }

    @Test
    void handOffsWithinTheGapCommitOnceWhenItIsOver() {
        assertThat(pacing.handedOn(1_000)).isTrue();
        assertThat(pacing.handedOn(1_001)).isFalse();
        assertThat(pacing.handedOn(1_003)).isFalse();
        assertThat(pacing.due(1_004)).as("the gap is not over").isFalse();
        assertThat(pacing.due(1_005)).as("owed since 1001").isTrue();
        assertThat(pacing.due(1_020)).as("paid").isFalse();
    }

    @Test
    void nothingIsOwedWithoutAHandOff() {
        assertThat(pacing.due(1_000)).isFalse();
    }

    @Test
    void aZeroGapNeverAsks() {
        CommitPacing off = new CommitPacing(Duration.ZERO);
        assertThat(off.enabled()).isFalse();
        assertThat(off.handedOn(1_000)).isFalse();
        assertThat(off.due(2_000)).isFalse();
    }
}
