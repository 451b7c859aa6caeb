package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    static final String CONDITIONAL = """
            pipeline:
              name: conditional
              type: hybrid
              parameters:
                environment: {type: enum, enum: [dev, production], default: dev}
                replicas: {type: integer, default: 2}
              stages:
                - {name: build, run: make}
                - {name: lint, run: lint, critical: false, needs: [build]}
                - name: deploy-prod
                  run: ./deploy prod
                  needs: [build]
                  when: params.environment == 'production' && params.replicas >= 3
                - name: announce
                  run: ./announce
                  needs: [deploy-prod, lint]
                  when: stages.deploy-prod.status == 'SUCCEEDED' || stages.lint.status == 'FAILED'
            """;

    @Test
    void falseConditionSkipsTheStageAndItsDependantsStillRun() {
        EngineDriver run = new EngineDriver(CONDITIONAL).start(Map.of()).started("build").succeeded("build");

        assertThat(run.status("deploy-prod")).isEqualTo(StageStatus.SKIPPED);
        assertThat(run.state.stage("deploy-prod").error())
                .isEqualTo("skipped: its condition is false: params.environment == 'production' && params.replicas >= 3");
        assertThat(run.runEventTypes()).contains("STAGE_SKIPPED");
        run.started("lint").succeeded("lint");
        assertThat(run.status("announce")).as("neither deploy succeeded nor lint failed").isEqualTo(StageStatus.SKIPPED);
        assertThat(run.state.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void trueConditionRunsTheStageComparingNumbersAsNumbers() {
        EngineDriver run = new EngineDriver(CONDITIONAL).start(Map.of("environment", "production", "replicas", "10"))
                .started("build").succeeded("build");
        assertThat(run.dispatchedStages()).contains("deploy-prod");
        run.started("deploy-prod").succeeded("deploy-prod").started("lint").failed("lint", 1);
        assertThat(run.dispatchedStages()).endsWith("announce");
    }

    @Test
    void finallyStageRunsOnlyWhenItsConditionHolds() {
        EngineDriver run = new EngineDriver("""
                pipeline:
                  name: cleanup
                  parameters:
                    keep: {type: boolean, default: "false"}
                  stages:
                    - {name: build, run: make}
                  finally:
                    - {name: clean, run: rm -rf out, when: "params.keep != 'true'"}
                    - {name: archive, run: tar out, when: "stages.build.status == 'FAILED'"}
                """).start(Map.of()).started("build").succeeded("build").started("clean").succeeded("clean");
        assertThat(run.status("archive")).isEqualTo(StageStatus.SKIPPED);
        assertThat(run.state.status()).isEqualTo(RunStatus.SUCCEEDED);
    }
}
