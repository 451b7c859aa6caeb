package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.scheduler.engine.Transitions.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every row of the stage and run tables is taken by a scenario that a real pipeline goes
 * through. A row added without a scenario, or a rule that stops taking one, fails here; a move
 * that no row allows fails in the engine itself ({@link Step#move}).
 */
class TransitionCoverageTest {

    private final List<EngineDriver> drivers = new ArrayList<>();

    @Test
    void everyRowOfTheStageAndRunTablesIsTakenByAScenario() {
        sequentialStagesSucceedEvenWhenAResultOvertakesItsStart();
        aFlakyStageIsRetriedThenFailsAndIsResumed();
        aStageWithoutRetriesFailsBeforeItStarted();
        aCancelStopsEveryKindOfStageAndTheResumeReopensThem();
        approvalsAreGrantedRejectedAndTimedOut();
        rollbackStepsRunAgainAfterTheyFailedOrWereCancelledOrSkipped();

        Set<Transition<?, ?>> taken = new LinkedHashSet<>();
        drivers.forEach(driver -> taken.addAll(driver.transitions));
        List<Transition<?, ?>> rows = new ArrayList<>(StageStatus.TRANSITIONS.rows());
        rows.addAll(RunStatus.TRANSITIONS.rows());
        assertThat(rows).as("rows no scenario took").isSubsetOf(taken);
        assertThat(taken).as("moves outside the tables").isSubsetOf(rows);
    }

    private void sequentialStagesSucceedEvenWhenAResultOvertakesItsStart() {
        EngineDriver run = driver("""
                pipeline:
                  name: seq
                  stages:
                    - {name: a, run: ./a}
                    - {name: b, run: ./b}
                """).start(Map.of()).started("a").succeeded("a").succeeded("b");
        assertThat(run.state.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    private void aFlakyStageIsRetriedThenFailsAndIsResumed() {
        EngineDriver run = driver("""
                pipeline:
                  name: flaky
                  options: {retry_policy: {max_attempts: 3, initial_delay: 1s}}
                  stages:
                    - {name: flaky, run: ./flaky}
                """).start(Map.of()).failed("flaky", 1);
        assertThat(run.status("flaky")).isEqualTo(StageStatus.RETRY_WAIT);
        run.advance(Duration.ofMinutes(1)).fireDueTimers().started("flaky").failed("flaky", 1)
                .advance(Duration.ofMinutes(1)).fireDueTimers().started("flaky").failed("flaky", 1);
        assertThat(run.state.status()).isEqualTo(RunStatus.FAILED);

        run.apply(new EngineEvent.Resume("alice")).started("flaky").succeeded("flaky");
        assertThat(run.state.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    private void aStageWithoutRetriesFailsBeforeItStarted() {
        EngineDriver run = driver("""
                pipeline:
                  name: once
                  options: {retry_policy: {max_attempts: 1}}
                  stages:
                    - {name: once, run: ./once}
                """).start(Map.of()).failed("once", 2);
        assertThat(run.state.status()).isEqualTo(RunStatus.FAILED);
    }

    private void aCancelStopsEveryKindOfStageAndTheResumeReopensThem() {
        EngineDriver run = driver("""
                pipeline:
                  name: wide
                  type: parallel
                  options: {retry_policy: {max_attempts: 2, initial_delay: 5m}}
                  stages:
                    - {name: dispatched, run: ./x}
                    - {name: running, run: ./y}
                    - {name: retrying, run: ./z}
                    - {name: waiting, run: ./w, needs: [dispatched]}
                    - {name: gated, run: ./g, manual_approval: {approvers: [alice]}}
                """).start(Map.of()).started("running").failed("retrying", 1);
        assertThat(run.status("retrying")).isEqualTo(StageStatus.RETRY_WAIT);
        assertThat(run.status("gated")).isEqualTo(StageStatus.AWAITING_APPROVAL);

        run.apply(new EngineEvent.Cancel("alice", null));
        assertThat(run.state.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.state.stageList()).extracting(StageState::status).containsOnly(StageStatus.CANCELLED, StageStatus.SKIPPED);

        run.apply(new EngineEvent.Resume("alice"));
        assertThat(run.state.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.status("waiting")).isEqualTo(StageStatus.PENDING);
    }

    private void approvalsAreGrantedRejectedAndTimedOut() {
        String gated = ApprovalResumeFinallyTest.GATED;
        EngineDriver approved = driver(gated).start(Map.of()).started("build").succeeded("build")
                .apply(new EngineEvent.Approve("deploy", "alice", null));
        assertThat(approved.status("deploy")).isEqualTo(StageStatus.DISPATCHED);

        EngineDriver rejected = driver(gated).start(Map.of()).started("build").succeeded("build")
                .apply(new EngineEvent.Reject("deploy", "bob", "freeze"));
        assertThat(rejected.status("deploy")).isEqualTo(StageStatus.FAILED);

        EngineDriver timedOut = driver(gated).start(Map.of()).started("build").succeeded("build")
                .advance(Duration.ofHours(1)).fireDueTimers();
        assertThat(timedOut.status("deploy")).isEqualTo(StageStatus.FAILED);
    }

    private void rollbackStepsRunAgainAfterTheyFailedOrWereCancelledOrSkipped() {
        String retriedWithRollback = """
                pipeline:
                  name: rr
                  options: {retry_policy: {max_attempts: 3, initial_delay: 1s}}
                  stages:
                    - {name: apply, run: ./apply, rollback: ./unapply, on_failure: rollback_and_retry}
                """;
        // Succeeded, then queued again before the next retry.
        driver(retriedWithRollback).start(Map.of()).started("apply").failed("apply", 1)
                .started("rollback@apply").succeeded("rollback@apply").advance(Duration.ofSeconds(5)).fireDueTimers()
                .started("apply").failed("apply", 1);

        // Failed: its stage is not retried; after a resume the stage fails again and it runs again.
        EngineDriver failedRollback = driver(retriedWithRollback).start(Map.of()).started("apply").failed("apply", 1)
                .started("rollback@apply").failed("rollback@apply", 1);
        assertThat(failedRollback.state.status()).isEqualTo(RunStatus.FAILED);
        failedRollback.apply(new EngineEvent.Resume("alice")).started("apply").failed("apply", 1);
        assertThat(failedRollback.status("rollback@apply")).isEqualTo(StageStatus.DISPATCHED);

        // Cancelled while it ran, and skipped while it waited its turn; both run again when the
        // resumed run rolls back once more.
        EngineDriver rollbackRun = driver("""
                pipeline:
                  name: deployment
                  options: {retry_policy: {max_attempts: 1}}
                  stages:
                    - {name: database, run: ./migrate, rollback: ./migrate --down}
                    - {name: app, run: ./deploy-app, rollback: ./deploy-app --previous}
                    - {name: smoke, run: ./smoke, on_failure: rollback_run}
                """).start(Map.of()).started("database").succeeded("database").started("app").succeeded("app")
                .started("smoke").failed("smoke", 1);
        assertThat(rollbackRun.status("rollback@app")).isEqualTo(StageStatus.DISPATCHED);
        rollbackRun.apply(new EngineEvent.Cancel("alice", "enough"));
        assertThat(rollbackRun.status("rollback@app")).isEqualTo(StageStatus.CANCELLED);
        assertThat(rollbackRun.status("rollback@database")).isEqualTo(StageStatus.SKIPPED);
        rollbackRun.apply(new EngineEvent.Resume("alice")).started("smoke").failed("smoke", 1);
        assertThat(rollbackRun.status("rollback@app")).isEqualTo(StageStatus.DISPATCHED);
        assertThat(rollbackRun.status("rollback@database")).isEqualTo(StageStatus.PENDING);
    }

    private EngineDriver driver(String yaml) {
        EngineDriver driver = new EngineDriver(yaml);
        drivers.add(driver);
        return driver;
    }
}
