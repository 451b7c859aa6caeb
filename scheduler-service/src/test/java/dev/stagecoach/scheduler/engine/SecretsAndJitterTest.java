package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.pipeline.PipelineLoader;
import dev.stagecoach.secrets.SealedParameters;
import dev.stagecoach.secrets.SecretKeyRing;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SecretsAndJitterTest {

    @Test
    void aSecretInEnvTravelsAsItsNameForTheWorkerToResolve() {
        String yaml = """
                pipeline:
                  name: deploy
                  stages:
                    - name: deploy
                      run: ./deploy
                      env: {TOKEN: "Bearer ${{ secrets.DEPLOY_TOKEN }}", PLAIN: "run ${{ run.id }}"}
                """;
        Decision decision = new RunEngine().decide(null, new EngineEvent.RunCreated("run-1", "deploy", 1, yaml, Map.of(), "tester"),
                Instant.EPOCH, PipelineLoader.load(yaml, "deploy.yaml").orThrow());

        Effect.DispatchStage dispatch = dispatched(decision);
        assertThat(dispatch.env()).containsEntry("PLAIN", "run run-1").doesNotContainKey("TOKEN");
        assertThat(dispatch.secretEnv()).containsOnly(Map.entry("TOKEN",
                new SecretText(List.of(new SecretText.Text("Bearer "), new SecretText.Secret("DEPLOY_TOKEN")))));
    }

    @Test
    void aSecretParameterStaysSealedInTheRunAndReachesTheStageSealed() {
        String yaml = """
                pipeline:
                  name: deploy
                  parameters:
                    token: {type: string, secret: true}
                    region: {type: string, default: eu}
                  stages:
                    - name: deploy
                      run: ./deploy
                      env: {AUTH: "token ${{ params.token }} in ${{ params.region }}"}
                """;
        SecretKeyRing keys = SecretKeyRing.of(Optional.of(SecretKeyRing.generate("k1")), Optional.empty());
        String sealed = SealedParameters.seal(keys, "run-1", "token", "hunter2");
        var definition = PipelineLoader.load(yaml, "deploy.yaml").orThrow();

        Decision decision = new RunEngine().decide(null, new EngineEvent.RunCreated("run-1", "deploy", 1, yaml,
                Map.of("token", sealed), "tester"), Instant.EPOCH, definition);

        assertThat(decision.state().parameters()).containsEntry("token", sealed);
        Effect.DispatchStage dispatch = dispatched(decision);
        assertThat(dispatch.env()).containsEntry("PARAM_REGION", "eu").doesNotContainKeys("PARAM_TOKEN", "AUTH");
        SecretText.SealedParameter token = new SecretText.SealedParameter("token", sealed);
        assertThat(dispatch.secretEnv()).containsOnly(
                Map.entry("PARAM_TOKEN", new SecretText(List.of(token))),
                Map.entry("AUTH", new SecretText(List.of(new SecretText.Text("token "), token, new SecretText.Text(" in eu")))));

        // One that arrives in clear (written to the topic by hand) is refused, and not repeated in the reason.
        Decision clear = new RunEngine().decide(null, new EngineEvent.RunCreated("run-2", "deploy", 1, yaml,
                Map.of("token", "hunter2"), "tester"), Instant.EPOCH, definition);
        assertThat(clear.state().status()).isEqualTo(RunStatus.FAILED);
        assertThat(clear.state().reason()).contains("parameter \"token\": secret, but its value is not sealed").doesNotContain("hunter2");
        assertThat(clear.state().parameters()).containsEntry("token", "***");
    }

    private static Effect.DispatchStage dispatched(Decision decision) {
        return decision.effects().stream().filter(Effect.DispatchStage.class::isInstance)
                .map(Effect.DispatchStage.class::cast).findFirst().orElseThrow();
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
