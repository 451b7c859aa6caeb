package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.pipeline.NotificationEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApprovalResumeFinallyTest {

    static final String GATED = """
            pipeline:
              name: gated
              options: {timeout: 2h}
              stages:
                - {name: build, run: make}
                - name: deploy
                  run: ./deploy
                  manual_approval: {approvers: [alice, bob], timeout: 1h}
              notifications:
                on_approval: [{webhook: "http://hooks/approve"}]
            """;

    static final String WITH_FINALLY = """
            pipeline:
              name: cleanup
              stages:
                - {name: build, run: make}
                - {name: test, run: make test}
              finally:
                - {name: cleanup, run: rm -rf tmp}
                - {name: report, run: ./report}
            """;

    @Test
    void stageWaitsForApprovalAndRunsOnceApproved() {
        EngineDriver run = new EngineDriver(GATED).start(Map.of()).started("build").succeeded("build");

        assertThat(run.status("deploy")).isEqualTo(StageStatus.AWAITING_APPROVAL);
        assertThat(run.dispatchedStages()).containsExactly("build");
        assertThat(run.notifications()).extracting(Effect.Notify::event).containsExactly(NotificationEvent.ON_APPROVAL);
        assertThat(run.notifications().get(0).subject()).contains("awaits approval (stage deploy)");

        run.advance(Duration.ofMinutes(5)).apply(new EngineEvent.Approve("deploy", "alice", "ship it"));

        assertThat(run.dispatchedStages()).containsExactly("build", "deploy");
        Approval approval = run.state.stage("deploy").approval();
        assertThat(approval).isEqualTo(new Approval(true, "alice", run.now, "ship it"));
        run.started("deploy").succeeded("deploy");
        assertThat(run.state.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.scheduledTimers()).extracting(Effect.ScheduleTimer::timerId).as("the approval timeout is cancelled")
                .containsExactly(RunEngine.RETENTION);
    }

    @Test
    void onlyListedApproversMayDecide() {
        EngineDriver run = new EngineDriver(GATED).start(Map.of()).started("build").succeeded("build");
        run.apply(new EngineEvent.Approve("deploy", "mallory", null));
        assertThat(run.refusal()).isEqualTo("mallory may not decide about stage \"deploy\"; its approvers are alice, bob");
        assertThat(run.status("deploy")).isEqualTo(StageStatus.AWAITING_APPROVAL);
    }

    @Test
    void rejectionFailsTheCriticalStageAndTheRun() {
        EngineDriver run = new EngineDriver(GATED).start(Map.of()).started("build").succeeded("build");
        run.apply(new EngineEvent.Reject("deploy", "bob", "freeze week"));
        assertThat(run.state.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state.stage("deploy").error()).isEqualTo("rejected by bob: freeze week");
        assertThat(run.runEventTypes()).contains("STAGE_REJECTED");
    }

    @Test
    void approvalTimeoutRejectsTheStage() {
        EngineDriver run = new EngineDriver(GATED).start(Map.of()).started("build").succeeded("build");
        run.advance(Duration.ofHours(1)).fireDueTimers();
        assertThat(run.state.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state.stage("deploy").error()).isEqualTo("no approval within 1h");
    }

    @Test
    void approvalForAStageThatDoesNotWaitChangesNothing() {
        EngineDriver run = new EngineDriver(GATED).start(Map.of());
        run.apply(new EngineEvent.Approve("deploy", "alice", null));
        assertThat(run.refusal()).isEqualTo("stage \"deploy\" does not wait for approval; it is PENDING");
    }

    @Test
    void resumedRunKeepsSucceededStagesAndContinuesAttemptNumbers() {
        EngineDriver run = new EngineDriver(RunEngineTest.THREE_STAGES).start(Map.of("version", "1"));
        run.started("build").succeeded("build").started("test").failed("test", 2);
        assertThat(run.state.status()).isEqualTo(RunStatus.FAILED);

        run.advance(Duration.ofMinutes(1)).apply(new EngineEvent.Resume("carol"));

        assertThat(run.state.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.status("build")).isEqualTo(StageStatus.SUCCEEDED);
        assertThat(run.dispatches()).extracting(Effect.DispatchStage::attemptId)
                .containsExactly("run-1/build/1", "run-1/test/1", "run-1/test/2");
        run.started("test").succeeded("test").started("deploy").succeeded("deploy");
        assertThat(run.state.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.state.runId()).isEqualTo("run-1");
        assertThat(run.runEventTypes()).containsSubsequence("RUN_FAILED", "RUN_RESUMED", "RUN_SUCCEEDED");
    }

    @Test
    void resumeGivesTheRetryPolicyAFreshBudget() {
        EngineDriver run = new EngineDriver(RunEngineTest.FLAKY).start(Map.of());
        for (int i = 0; i < 3; i++) {
            run.started("fetch").failed("fetch", 1).advance(Duration.ofMinutes(1)).fireDueTimers();
        }
        assertThat(run.state.status()).isEqualTo(RunStatus.FAILED);
        run.apply(new EngineEvent.Resume("carol")).started("fetch").failed("fetch", 1);
        assertThat(run.status("fetch")).as("attempt 4 is the first of a new round of 3").isEqualTo(StageStatus.RETRY_WAIT);
    }

    @Test
    void onlyFailedOrCancelledRunsResume() {
        EngineDriver run = new EngineDriver(RunEngineTest.THREE_STAGES).start(Map.of("version", "1"));
        run.apply(new EngineEvent.Resume("carol"));
        assertThat(run.refusal()).isEqualTo("run run-1 is RUNNING; only a FAILED or CANCELLED run can be resumed");
    }

    @Test
    void finallyStagesRunOneAfterAnotherWhateverTheOutcome() {
        EngineDriver run = new EngineDriver(WITH_FINALLY).start(Map.of()).started("build").failed("build", 1);

        assertThat(run.state.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.state.concluded().status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.status("test")).isEqualTo(StageStatus.SKIPPED);
        assertThat(run.dispatchedStages()).containsExactly("build", "cleanup");
        run.started("cleanup").succeeded("cleanup");
        assertThat(run.dispatchedStages()).containsExactly("build", "cleanup", "report");
        run.started("report").succeeded("report");

        assertThat(run.state.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state.reason()).startsWith("critical stage \"build\" failed");
        assertThat(run.runEventTypes()).containsSubsequence("RUN_FINALIZING", "RUN_FAILED");
    }

    @Test
    void failingFinallyStageFailsAnOtherwiseSuccessfulRun() {
        EngineDriver run = new EngineDriver(WITH_FINALLY).start(Map.of())
                .started("build").succeeded("build").started("test").succeeded("test")
                .started("cleanup").failed("cleanup", 1).started("report").succeeded("report");
        assertThat(run.state.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state.reason()).startsWith("finally stage \"cleanup\" failed");
    }

    @Test
    void cancelRunsTheFinallyStagesAndASecondCancelStopsThem() {
        EngineDriver run = new EngineDriver(WITH_FINALLY).start(Map.of()).started("build");
        run.apply(new EngineEvent.Cancel("dave", null));
        assertThat(run.status("build")).isEqualTo(StageStatus.CANCELLED);
        assertThat(run.dispatchedStages()).containsExactly("build", "cleanup");

        run.started("cleanup").apply(new EngineEvent.Cancel("dave", "now"));
        assertThat(run.state.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.status("cleanup")).isEqualTo(StageStatus.CANCELLED);
        assertThat(run.status("report")).isEqualTo(StageStatus.SKIPPED);
        assertThat(run.effects).filteredOn(Effect.CancelStage.class::isInstance).hasSize(2);
        assertThat(List.of(run.state.reason())).containsExactly("cancelled by dave: now");
    }
}
