package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.pipeline.PipelineLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SecretsAndJitterTest {

    @Test
    void aSecretInEnvIsRenderedFromTheSecretSourceAndMaskedButNeverKeptInTheRun() {
        String yaml = """
                pipeline:
                  name: deploy
                  stages:
                    - name: deploy
                      run: ./deploy
                      env: {TOKEN: "Bearer ${{ secrets.DEPLOY_TOKEN }}"}
                """;
        RunEngine engine = new RunEngine(name -> name.equals("DEPLOY_TOKEN") ? "s3cr3t" : null);
        Decision decision = engine.decide(null, new EngineEvent.RunCreated("run-1", "deploy", 1, yaml, Map.of(), "tester"),
                Instant.EPOCH, PipelineLoader.load(yaml, "deploy.yaml").orThrow());

        Effect.DispatchStage dispatch = decision.effects().stream().filter(Effect.DispatchStage.class::isInstance)
                .map(Effect.DispatchStage.class::cast).findFirst().orElseThrow();
        assertThat(dispatch.env()).containsEntry("TOKEN", "Bearer s3cr3t");
        assertThat(dispatch.secretValues()).contains("s3cr3t");
        assertThat(decision.state().toString()).doesNotContain("s3cr3t");
    }

    @Test
    void jitteredRetriesWaitWithinTheirRangeAndTheSameAttemptAlwaysWaitsAlike() {
        EngineDriver run = new EngineDriver("""
                pipeline:
                  name: jitter
                  options:
                    retry_policy: {max_attempts: 2, backoff: fixed, initial_delay: 10s, jitter: 0.5}
                  stages:
                    - {name: fetch, run: ./fetch}
                """).start(Map.of()).started("fetch").failed("fetch", 1);

        Instant retryAt = run.state.stage("fetch").retryAt();
        Duration wait = Duration.between(run.now, retryAt);
        assertThat(wait).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(Timers.jitterUnit("run-1/fetch/1")).isEqualTo(Timers.jitterUnit("run-1/fetch/1"));

        Set<Double> units = new TreeSet<>();
        for (int i = 0; i < 100; i++) {
            double unit = Timers.jitterUnit("run-" + i + "/fetch/1");
            assertThat(unit).isGreaterThanOrEqualTo(0).isLessThan(1);
            units.add(Math.floor(unit * 10));
        }
        assertThat(units).as("units spread over [0, 1)").hasSizeGreaterThan(7);
    }
}
