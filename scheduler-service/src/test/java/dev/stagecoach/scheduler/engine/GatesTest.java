package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.scheduler.report.RunReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatesTest {

    static final String GATED = """
            pipeline:
              name: quality
              stages:
                - name: test
                  run: ./test
                  gates:
                    - {metric: coverage, min: 80}
                    - {metric: duration_s, max: 60, severity: warn}
                - {name: ship, run: ./ship}
            """;

    static EngineDriver finish(EngineDriver run, String stage, Map<String, Double> metrics) {
        return run.apply(new EngineEvent.StageFinished(stage, run.attemptId(stage), EngineEvent.Outcome.SUCCEEDED, 0, 5L,
                null, List.of(), metrics));
    }

    @Test
    void failingGateFailsTheStageThoughTheScriptSucceeded() {
        EngineDriver run = finish(new EngineDriver(GATED).start(Map.of()).started("test"), "test",
                Map.of("coverage", 72.0, "duration_s", 10.0));
        assertThat(run.state.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state.stage("test").error()).isEqualTo("quality gate failed: coverage 72.0 is below 80.0");
        String report = RunReport.render(run.state, run.definition);
        assertThat(report).contains("## Quality gates", "| test | ❌ failed | fail | coverage 72.0 is below 80.0 |",
                "| test | ✅ passed | warn | duration_s 10.0 is within max 60.0 |");
    }

    @Test
    void warningGateLeavesTheRunSuccessfulWithTheWarningNamed() {
        EngineDriver run = finish(new EngineDriver(GATED).start(Map.of()).started("test"), "test",
                Map.of("coverage", 91.0, "duration_s", 75.0));
        run.started("ship").succeeded("ship");
        assertThat(run.state.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.state.reason()).isEqualTo("succeeded with warnings: test: duration_s 75.0 is above 60.0");
    }

    @Test
    void missingMetricFailsAFailGateWithAHint() {
        EngineDriver run = finish(new EngineDriver(GATED).start(Map.of()).started("test"), "test", Map.of());
        assertThat(run.state.stage("test").error())
                .isEqualTo("quality gate failed: coverage was not reported (print ::metric coverage=<value>)");
    }
}
