package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.pipeline.NotificationEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunEngineTest {

    static final String THREE_STAGES = """
            pipeline:
              name: three
              parameters:
                version: {type: string, required: true}
                token: {type: string, secret: true}
              stages:
                - name: build
                  run: make build
                  env: {MODE: fast}
                - name: test
                  run: make test
                - name: deploy
                  run: make deploy
              notifications:
                on_start: [{webhook: "http://hooks/start"}]
                on_success: [{webhook: "http://hooks/success"}]
                on_failure: [{webhook: "http://hooks/failure"}, {email: oncall@example.com}]
            """;

    static final String FLAKY = """
            pipeline:
              name: flaky
              options:
                retry_policy: {max_attempts: 3, backoff: exponential, initial_delay: 2s, max_delay: 1m}
              stages:
                - name: fetch
                  run: curl it
                  timeout: 1m
            """;

    @Test
    void sequentialStagesRunOneAfterAnother() {
        EngineDriver run = new EngineDriver(THREE_STAGES).start(Map.of("version", "1.0.0"));
        assertThat(run.dispatchedStages()).containsExactly("build");

        run.started("build").succeeded("build");
        assertThat(run.dispatchedStages()).containsExactly("build", "test");
        run.started("test").succeeded("test").started("deploy").succeeded("deploy");

        assertThat(run.state.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.dispatchedStages()).containsExactly("build", "test", "deploy");
        assertThat(run.runEventTypes()).startsWith("RUN_STARTED", "STAGE_DISPATCHED").endsWith("RUN_SUCCEEDED");
        assertThat(run.notifications()).extracting(n -> n.event()).containsExactly(NotificationEvent.ON_START, NotificationEvent.ON_SUCCESS);
    }

    @Test
    void parametersReachTheStageAsEnvironmentNeverInTheScript() {
        EngineDriver run = new EngineDriver(THREE_STAGES).start(Map.of("version", "$(touch /tmp/x)"));
        Effect.DispatchStage build = run.dispatches().get(0);
        assertThat(build.command()).isEqualTo("make build");
        assertThat(build.env()).containsEntry("PARAM_VERSION", "$(touch /tmp/x)").containsEntry("MODE", "fast")
                .containsEntry("STAGECOACH_RUN_ID", "run-1").containsEntry("STAGECOACH_ATTEMPT", "1");
    }

    @Test
    void failedCriticalStageFailsTheRunAndTheRestNeverRuns() {
        EngineDriver run = new EngineDriver(THREE_STAGES).start(Map.of("version", "1"));
        run.started("build").succeeded("build").started("test").failed("test", 3);

        assertThat(run.state.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state.reason()).contains("test").contains("exited with code 3");
        assertThat(run.status("deploy")).isEqualTo(StageStatus.SKIPPED);
        assertThat(run.dispatchedStages()).doesNotContain("deploy");
        assertThat(run.notifications()).extracting(n -> n.target().target())
                .containsExactly("http://hooks/start", "http://hooks/failure", "oncall@example.com");
        assertThat(run.scheduledTimers()).extracting(Effect.ScheduleTimer::timerId).as("no timer outlives the run but its retention")
                .containsExactly(RunEngine.RETENTION);
    }

    @Test
    void flakyStageSucceedsOnThirdAttemptAfterExponentialBackoff() {
        EngineDriver run = new EngineDriver(FLAKY).start(Map.of());
        run.started("fetch").failed("fetch", 1);
        assertThat(run.status("fetch")).isEqualTo(StageStatus.RETRY_WAIT);
        assertThat(run.state.stage("fetch").retryAt()).isEqualTo(run.now.plusSeconds(2));

        run.advance(Duration.ofMillis(1999)).fireDueTimers();
        assertThat(run.dispatches()).hasSize(1);
        run.advance(Duration.ofMillis(1)).fireDueTimers();
        assertThat(run.dispatches()).hasSize(2);
        assertThat(run.dispatches().get(1).attempt()).isEqualTo(2);

        run.started("fetch").failed("fetch", 1);
        assertThat(run.state.stage("fetch").retryAt()).isEqualTo(run.now.plusSeconds(4));
        run.advance(Duration.ofSeconds(4)).fireDueTimers().started("fetch").succeeded("fetch");

        assertThat(run.state.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.state.stage("fetch").attempts()).isEqualTo(3);
        assertThat(run.dispatches()).extracting(Effect.DispatchStage::attemptId)
                .containsExactly("run-1/fetch/1", "run-1/fetch/2", "run-1/fetch/3");
    }

    @Test
    void stageFailsWhenItsAttemptsRunOut() {
        EngineDriver run = new EngineDriver(FLAKY).start(Map.of());
        for (int attempt = 1; attempt <= 3; attempt++) {
            run.started("fetch").failed("fetch", 7).advance(Duration.ofMinutes(1)).fireDueTimers();
        }
        assertThat(run.state.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.dispatches()).hasSize(3);
    }

    @Test
    void resultOfAnEarlierAttemptChangesNothing() {
        EngineDriver run = new EngineDriver(FLAKY).start(Map.of());
        String first = run.attemptId("fetch");
        run.started("fetch").failed("fetch", 1).advance(Duration.ofSeconds(2)).fireDueTimers();
        RunState before = run.state;

        run.apply(new EngineEvent.StageFinished("fetch", first, EngineEvent.Outcome.SUCCEEDED, 0, 1L, null, List.of(), Map.of()));

        assertThat(run.last.changed()).isFalse();
        assertThat(run.refusal()).contains("stale").contains(first);
        assertThat(run.state).isEqualTo(before);
    }

    @Test
    void duplicateResultChangesNothing() {
        EngineDriver run = new EngineDriver(THREE_STAGES).start(Map.of("version", "1"));
        run.started("build").succeeded("build");
        int dispatched = run.dispatches().size();
        run.apply(new EngineEvent.StageFinished("build", "run-1/build/1", EngineEvent.Outcome.SUCCEEDED, 0, 1L, null, List.of(), Map.of()));
        assertThat(run.last.changed()).isFalse();
        assertThat(run.dispatches()).hasSize(dispatched);
    }

    @Test
    void duplicateRunRequestChangesNothing() {
        EngineDriver run = new EngineDriver(THREE_STAGES).start(Map.of("version", "1"));
        run.start(Map.of("version", "2"));
        assertThat(run.refusal()).contains("already exists");
        assertThat(run.dispatches()).hasSize(1);
        assertThat(run.state.parameters()).containsEntry("version", "1");
    }

    @Test
    void silentWorkerIsDetectedByItsHeartbeatDeadlineAndTheAttemptRetried() {
        EngineDriver run = new EngineDriver(FLAKY).start(Map.of()).started("fetch");
        run.advance(Duration.ofSeconds(10)).apply(new EngineEvent.StageHeartbeat("fetch", run.attemptId("fetch")));
        run.advance(EngineEvent.HEARTBEAT_TIMEOUT.minusMillis(1)).fireDueTimers();
        assertThat(run.status("fetch")).isEqualTo(StageStatus.RUNNING);

        run.advance(Duration.ofMillis(1)).fireDueTimers();

        assertThat(run.status("fetch")).isEqualTo(StageStatus.RETRY_WAIT);
        assertThat(run.state.stage("fetch").error()).contains("worker-a stopped sending heartbeats");
        assertThat(run.effects).anyMatch(e -> e instanceof Effect.CancelStage c && c.attemptId().equals("run-1/fetch/1"));
        run.advance(Duration.ofSeconds(2)).fireDueTimers();
        assertThat(run.dispatches()).hasSize(2);
    }

    @Test
    void attemptStillHeartbeatingPastItsTimeoutAndGraceIsDeclaredLostAndRetried() {
        EngineDriver run = new EngineDriver("""
                pipeline:
                  name: stuck
                  options: {retry_policy: {max_attempts: 2, initial_delay: 1s}}
                  stages:
                    - {name: build, run: ./build, timeout: 1m}
                """).start(Map.of()).started("build");
        Instant deadline = run.now.plus(Duration.ofMinutes(1)).plus(EngineEvent.DEADLINE_GRACE);
        // The worker is alive (it heartbeats) but never finishes: only the engine's own deadline catches it.
        while (run.now.plusSeconds(5).isBefore(deadline)) {
            run.advance(Duration.ofSeconds(5)).apply(new EngineEvent.StageHeartbeat("build", run.attemptId("build"))).fireDueTimers();
        }
        assertThat(run.status("build")).isEqualTo(StageStatus.RUNNING);

        run.advance(Duration.between(run.now, deadline)).fireDueTimers();

        assertThat(run.status("build")).isEqualTo(StageStatus.RETRY_WAIT);
        assertThat(run.state.stage("build").error()).contains("no result within the stage timeout plus 30s; the attempt was lost");
        assertThat(run.effects).anyMatch(e -> e instanceof Effect.CancelStage c && c.attemptId().equals("run-1/build/1"));
        run.advance(Duration.ofSeconds(1)).fireDueTimers();
        assertThat(run.dispatches()).extracting(Effect.DispatchStage::attemptId).containsExactly("run-1/build/1", "run-1/build/2");
    }

    @Test
    void aRunningAttemptIsWatchedByOneTimerThatEachHeartbeatMoves() {
        EngineDriver run = new EngineDriver(FLAKY).start(Map.of()).started("fetch");
        assertThat(run.scheduledTimers()).extracting(Effect.ScheduleTimer::timerId)
                .containsExactlyInAnyOrder(RunEngine.RUN_TIMEOUT, "watch:1:fetch");

        run.advance(Duration.ofSeconds(5)).apply(new EngineEvent.StageHeartbeat("fetch", run.attemptId("fetch")));

        assertThat(run.scheduledTimers()).filteredOn(t -> t.timerId().startsWith("watch:"))
                .extracting(Effect.ScheduleTimer::dueAt).containsExactly(run.now.plus(EngineEvent.HEARTBEAT_TIMEOUT));
    }

    @Test
    void aHeartbeatTimerOfAStateWrittenBeforeTheWatchChangesNothingOnceAHeartbeatCame() {
        EngineDriver run = new EngineDriver(FLAKY).start(Map.of()).started("fetch");
        run.advance(Duration.ofSeconds(15)).apply(new EngineEvent.StageHeartbeat("fetch", run.attemptId("fetch")));

        // Due 20 s after the start, as the heartbeat timer of an older scheduler would have been.
        run.advance(Duration.ofSeconds(5)).fire("heartbeat:1:fetch");

        assertThat(run.refusal()).contains("is heard from and within its timeout");
        assertThat(run.status("fetch")).isEqualTo(StageStatus.RUNNING);
    }

    @Test
    void cancelStopsRunningStagesAndEndsTheRunCancelled() {
        EngineDriver run = new EngineDriver(THREE_STAGES).start(Map.of("version", "1")).started("build");
        run.apply(new EngineEvent.Cancel("alice", "wrong branch"));

        assertThat(run.state.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.state.reason()).isEqualTo("cancelled by alice: wrong branch");
        assertThat(run.status("build")).isEqualTo(StageStatus.CANCELLED);
        assertThat(run.status("test")).isEqualTo(StageStatus.SKIPPED);
        assertThat(run.effects).anyMatch(e -> e instanceof Effect.CancelStage c && c.stage().equals("build"));

        run.apply(new EngineEvent.Cancel("bob", null));
        assertThat(run.refusal()).contains("already ended CANCELLED");
    }

    @Test
    void runTimeoutCancelsTheRun() {
        EngineDriver run = new EngineDriver("""
                pipeline:
                  name: slow
                  options: {timeout: 5m}
                  stages: [{name: wait, run: sleep 600, timeout: 20m}]
                """).start(Map.of()).started("wait");
        run.advance(Duration.ofMinutes(5)).fireDueTimers();
        assertThat(run.state.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.state.reason()).contains("timeout of 5m");
    }

    @Test
    void nonCriticalFailureLeavesTheRunSucceededWithWarnings() {
        EngineDriver run = new EngineDriver("""
                pipeline:
                  name: lint
                  stages:
                    - {name: lint, run: lint, critical: false}
                    - {name: build, run: build}
                """).start(Map.of());
        run.started("lint").failed("lint", 1).started("build").succeeded("build");
        assertThat(run.state.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.state.reason()).contains("warnings").contains("lint");
    }

    @Test
    void parallelPipelineKeepsAtMostParallelWorkersInFlight() {
        EngineDriver run = new EngineDriver("""
                pipeline:
                  name: fan
                  type: parallel
                  options: {parallel_workers: 2}
                  stages:
                    - {name: a, run: x}
                    - {name: b, run: x}
                    - {name: c, run: x}
                    - {name: d, run: x, needs: [a, b]}
                """).start(Map.of());
        assertThat(run.dispatchedStages()).containsExactly("a", "b");
        run.started("a").succeeded("a");
        assertThat(run.dispatchedStages()).containsExactly("a", "b", "c");
        run.started("b").succeeded("b");
        assertThat(run.dispatchedStages()).containsExactly("a", "b", "c", "d");
    }

    @Test
    void runOfAnUnknownPipelineFailsAtOnceWithAReason() {
        RunEngine engine = new RunEngine();
        Decision decision = engine.decide(null, new EngineEvent.RunCreated("r", "ghost", 0, null, Map.of(), "x"),
                java.time.Instant.EPOCH, null);
        assertThat(decision.state().status()).isEqualTo(RunStatus.FAILED);
        assertThat(decision.state().reason()).isEqualTo("no pipeline named \"ghost\" is registered");
    }

    @Test
    void runWithInvalidParametersFailsListingEveryProblem() {
        EngineDriver run = new EngineDriver(THREE_STAGES).start(Map.of("versoin", "1", "token", "hunter2"));
        assertThat(run.state.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state.reason()).contains("versoin").contains("did you mean \"version\"").contains("required");
        assertThat(run.state.parameters()).containsEntry("token", "***");
        assertThat(run.dispatches()).isEmpty();
    }

    @Test
    void notificationDedupeIdsAreStableAcrossReplays() {
        List<String> first = new EngineDriver(THREE_STAGES).start(Map.of("version", "1")).notifications().stream().map(Effect.Notify::dedupeId).toList();
        List<String> second = new EngineDriver(THREE_STAGES).start(Map.of("version", "1")).notifications().stream().map(Effect.Notify::dedupeId).toList();
        assertThat(first).isEqualTo(second).containsExactly("run-1:on_start:0");
    }
}
