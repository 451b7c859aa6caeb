package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The tables themselves: what they allow, and that a move they do not allow is refused with the reason. */
class StatusTransitionsTest {

    @ParameterizedTest
    @EnumSource(StageStatus.class)
    void everyStageMoveIsEitherARowOrRefused(StageStatus from) {
        for (StageChange change : StageChange.values()) {
            for (StageStatus to : StageStatus.values()) {
                boolean row = StageStatus.TRANSITIONS.next(from, change).filter(to::equals).isPresent();
                if (row) {
                    assertThat(StageStatus.TRANSITIONS.require("s", from, change, to).to()).isEqualTo(to);
                } else {
                    assertThatThrownBy(() -> StageStatus.TRANSITIONS.require("s", from, change, to))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("stage \"s\" to go from " + from + " to " + to + " by " + change);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StageStatus.class)
    void onlyAnotherRoundLeavesAnEndedStage(StageStatus status) {
        assertThat(status.allowedNext()).isNotEmpty();
        if (status.isTerminal()) {
            assertThat(status.allowedNext()).containsExactly(StageStatus.PENDING);
            assertThat(StageStatus.TRANSITIONS.next(status, StageChange.REOPEN).isPresent()).isEqualTo(status.rerunsOnResume());
        }
    }

    @ParameterizedTest
    @EnumSource(RunStatus.class)
    void aRunningRunCanEndAndOnlyAFailedOrCancelledOneResumes(RunStatus status) {
        EnumSet<RunStatus> expected = switch (status) {
            case RUNNING -> EnumSet.of(RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED);
            case FAILED, CANCELLED -> EnumSet.of(RunStatus.RUNNING);
            case SUCCEEDED -> EnumSet.noneOf(RunStatus.class);
        };
        assertThat(status.allowedNext()).isEqualTo(expected);
        assertThat(status.isResumable()).isEqualTo(RunStatus.TRANSITIONS.next(status, RunChange.RESUME).isPresent());
    }
}
