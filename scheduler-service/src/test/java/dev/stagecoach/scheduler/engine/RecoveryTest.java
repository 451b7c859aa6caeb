package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** on_failure: retry, rollback_and_retry, rollback_run, abort. */
class RecoveryTest {

    static final String DEPLOYMENT = """
            pipeline:
              name: deployment
              options:
                retry_policy: {max_attempts: 2, initial_delay: 1s}
              stages:
                - {name: database, run: ./migrate, rollback: ./migrate --down}
                - {name: config, run: ./push-config}
                - {name: app, run: ./deploy-app, rollback: ./deploy-app --previous}
                - name: smoke
                  run: ./smoke
                  on_failure: rollback_run
              finally:
                - {name: notify-team, run: ./say-done}
            """;

    @Test
    void rollbackRunUndoesSucceededStagesNewestFirstThenRunsFinally() {
        EngineDriver run = new EngineDriver(DEPLOYMENT).start(Map.of());
        run.started("database").succeeded("database").advance(Duration.ofSeconds(1))
                .started("config").succeeded("config").advance(Duration.ofSeconds(1))
                .started("app").succeeded("app");
        run.started("smoke").failed("smoke", 1).advance(Duration.ofSeconds(1)).fireDueTimers().started("smoke").failed("smoke", 1);

        assertThat(run.state.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.dispatchedStages()).endsWith("rollback@app");
        assertThat(run.dispatches().get(run.dispatches().size() - 1).command()).isEqualTo("./deploy-app --previous");
        run.started("rollback@app").succeeded("rollback@app");
        assertThat(run.dispatchedStages()).endsWith("rollback@database");
        run.started("rollback@database").succeeded("rollback@database");
        assertThat(run.dispatchedStages()).endsWith("notify-team");
        run.started("notify-team").succeeded("notify-team");

        assertThat(run.state.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state.reason()).startsWith("critical stage \"smoke\" failed");
        assertThat(run.runEventTypes()).containsSubsequence("RUN_ROLLING_BACK", "RUN_FINALIZING", "RUN_FAILED");
        assertThat(run.state.stages()).containsKeys("rollback@app", "rollback@database").doesNotContainKey("rollback@config");
    }

    @Test
    void failedRollbackIsNamedInTheOutcome() {
        EngineDriver run = new EngineDriver(DEPLOYMENT).start(Map.of());
        run.started("database").succeeded("database").started("config").succeeded("config").started("app").succeeded("app");
        run.started("smoke").failed("smoke", 1).advance(Duration.ofSeconds(1)).fireDueTimers().started("smoke").failed("smoke", 1);
        run.started("rollback@app").failed("rollback@app", 2).started("rollback@database").succeeded("rollback@database")
                .started("notify-team").succeeded("notify-team");
        assertThat(run.state.reason()).endsWith("; rollback did not complete: rollback@app");
    }

    @Test
    void rollbackAndRetryUndoesTheStageBeforeEachRetry() {
        EngineDriver run = new EngineDriver("""
                pipeline:
                  name: rr
                  options: {retry_policy: {max_attempts: 3, initial_delay: 1s}}
                  stages:
                    - {name: apply, run: ./apply, rollback: ./unapply, on_failure: rollback_and_retry}
                """).start(Map.of());
        run.started("apply").failed("apply", 1);
        assertThat(run.dispatchedStages()).containsExactly("apply", "rollback@apply");

        run.advance(Duration.ofSeconds(5)).fireDueTimers();
        assertThat(run.dispatchedStages()).as("no retry before the rollback succeeded").containsExactly("apply", "rollback@apply");

        run.started("rollback@apply").succeeded("rollback@apply");
        assertThat(run.dispatchedStages()).containsExactly("apply", "rollback@apply", "apply");
        run.started("apply").failed("apply", 1).started("rollback@apply").succeeded("rollback@apply")
                .advance(Duration.ofSeconds(5)).fireDueTimers().started("apply").succeeded("apply");
        assertThat(run.state.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.dispatches()).extracting(Effect.DispatchStage::attemptId).containsExactly(
                "run-1/apply/1", "run-1/rollback@apply/1", "run-1/apply/2", "run-1/rollback@apply/2", "run-1/apply/3");
    }

    @Test
    void stageWhoseRollbackFailsIsNotRetried() {
        EngineDriver run = new EngineDriver("""
                pipeline:
                  name: rr
                  options: {retry_policy: {max_attempts: 3, initial_delay: 1s}}
                  stages:
                    - {name: apply, run: ./apply, rollback: ./unapply, on_failure: rollback_and_retry}
                """).start(Map.of());
        run.started("apply").failed("apply", 1).started("rollback@apply").failed("rollback@apply", 1);
        assertThat(run.state.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state.stage("apply").error()).endsWith("its rollback failed, so it is not retried");
        assertThat(run.scheduledTimers()).extracting(Effect.ScheduleTimer::timerId).containsExactly(RunEngine.RETENTION);
    }

    @Test
    void abortFailsTheRunAtOnceWithoutRetryEvenForANonCriticalStage() {
        EngineDriver run = new EngineDriver("""
                pipeline:
                  name: ab
                  type: parallel
                  options: {retry_policy: {max_attempts: 3, initial_delay: 1s}}
                  stages:
                    - {name: guard, run: ./check-freeze, critical: false, on_failure: abort}
                    - {name: build, run: make}
                """).start(Map.of()).started("guard").started("build").failed("guard", 1);
        assertThat(run.state.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state.reason()).startsWith("stage \"guard\" failed and aborted the run");
        assertThat(run.status("build")).isEqualTo(StageStatus.CANCELLED);
        assertThat(run.dispatches()).hasSize(2);
    }
}
