package dev.stagecoach.scheduler.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.PipelineLoader;
import dev.stagecoach.pipeline.ShardExpansion;
import dev.stagecoach.scheduler.engine.Decision;
import dev.stagecoach.scheduler.engine.EngineEvent;
import dev.stagecoach.scheduler.engine.RunEngine;
import dev.stagecoach.scheduler.engine.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report of runs that the real engine produced: what a reader must find in it. */
class RunReportTest {

    private final RunEngine engine = new RunEngine();
    private Instant now = Instant.parse("2026-03-01T09:00:00Z");
    private RunState run;
    private PipelineDefinition definition;

    @Test
    void nonCriticalFailureIsReportedAsAWarningOfASuccessfulRun() {
        start("""
                pipeline:
                  name: lint-and-build
                  stages:
                    - {name: lint, run: ./lint, critical: false}
                    - {name: build, run: ./build}
                """);
        finish("lint", EngineEvent.Outcome.FAILED, 3, "exited with code 3", List.of("src/Main.java:12: unused import"));
        finish("build", EngineEvent.Outcome.SUCCEEDED, 0, null, List.of("built"));

        String report = RunReport.render(run, definition);

        assertThat(report).contains("- **Status:** **SUCCEEDED**")
                .contains("- **Outcome:** succeeded with warnings: non-critical stages failed: lint")
                .contains("- **Stages:** 1 of 2 succeeded")
                .containsPattern("\\| 1 \\| lint \\| \\S+ FAILED \\| 1 \\| 2.0 s \\| 3 \\| no \\| exited with code 3 \\|")
                .contains("### lint\n\nexited with code 3 (exit code 3)")
                .contains("src/Main.java:12: unused import");
    }

    @Test
    void rollbacksAppearAsStepsNewestFirst() {
        start("""
                pipeline:
                  name: deploy
                  options: {retry_policy: {max_attempts: 1}}
                  stages:
                    - {name: migrate, run: ./migrate, rollback: ./migrate --down}
                    - {name: release, run: ./release, rollback: ./release --previous}
                    - {name: smoke, run: ./smoke, on_failure: rollback_run}
                """);
        finish("migrate", EngineEvent.Outcome.SUCCEEDED, 0, null, List.of());
        finish("release", EngineEvent.Outcome.SUCCEEDED, 0, null, List.of());
        finish("smoke", EngineEvent.Outcome.FAILED, 1, "exited with code 1", List.of("HTTP 503"));
        finish("rollback@release", EngineEvent.Outcome.SUCCEEDED, 0, null, List.of());
        finish("rollback@migrate", EngineEvent.Outcome.SUCCEEDED, 0, null, List.of());

        String report = RunReport.render(run, definition);

        assertThat(report).contains("- **Status:** **FAILED**");
        assertThat(report.indexOf("| rollback@release |")).as("the rollback of the newest stage comes first")
                .isPositive().isLessThan(report.indexOf("| rollback@migrate |"));
        assertThat(report.indexOf("| smoke |")).isLessThan(report.indexOf("| rollback@release |"));
    }

    @Test
    void approvalNamesWhoDecidedWhenAndWhy() {
        start("""
                pipeline:
                  name: gated
                  stages:
                    - name: production
                      run: ./ship
                      manual_approval: {approvers: [alice]}
                """);
        String waiting = RunReport.render(run, definition);
        assertThat(waiting).contains("| production | waiting since " + now + " | | | |");

        now = now.plus(Duration.ofMinutes(7));
        apply(new EngineEvent.Approve("production", "alice", "change CHG-42 | approved"));
        String approved = RunReport.render(run, definition);

        assertThat(approved).contains("| production | approved | alice | " + now + " | change CHG-42 \\| approved |");
    }

    private void start(String yaml) {
        definition = ShardExpansion.expand(PipelineLoader.load(yaml, "test.yaml").orThrow());
        apply(new EngineEvent.RunCreated("run-1", definition.name(), 1, yaml, Map.of(), "tester"));
    }

    private void finish(String stage, EngineEvent.Outcome outcome, int exitCode, String error, List<String> tail) {
        String attemptId = run.stage(stage).attemptId();
        apply(new EngineEvent.StageStarted(stage, attemptId, "worker-a"));
        now = now.plus(Duration.ofSeconds(2));
        apply(new EngineEvent.StageFinished(stage, attemptId, outcome, exitCode, 2_000L, error, tail, Map.of()));
    }

    private void apply(EngineEvent event) {
        Decision decision = engine.decide(run, event, now, definition);
        run = decision.state();
    }
}
