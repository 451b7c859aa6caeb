package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatusTransitionsTest {

    @ParameterizedTest
    @EnumSource(StageStatus.class)
    void everyStageTransitionIsEitherAllowedOrRefused(StageStatus from) {
        StageState stage = new StageState("s", from, 1, 0, "a", null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
        for (StageStatus to : StageStatus.values()) {
            if (from.canBecome(to)) {
                assertThat(stage.to(to).status()).isEqualTo(to);
            } else {
                assertThatThrownBy(() -> stage.to(to)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("from " + from + " to " + to);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StageStatus.class)
    void terminalStagesGoNowhere(StageStatus status) {
        assertThat(status.isTerminal()).isEqualTo(status.allowedNext().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(RunStatus.class)
    void onlyARunningRunCanEnd(RunStatus status) {
        EnumSet<RunStatus> expected = status == RunStatus.RUNNING
                ? EnumSet.of(RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED) : EnumSet.noneOf(RunStatus.class);
        assertThat(status.allowedNext()).isEqualTo(expected);
    }
}
