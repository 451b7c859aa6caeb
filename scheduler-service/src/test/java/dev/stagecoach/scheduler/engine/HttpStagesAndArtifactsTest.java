package dev.stagecoach.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.pipeline.PipelineLoader;
import dev.stagecoach.pipeline.StageSpec;
import dev.stagecoach.scheduler.report.RunReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inputs of http stages rendered at dispatch, and the artifacts a worker keeps carried into the run. */
class HttpStagesAndArtifactsTest {

    static final String ANNOUNCE = """
            pipeline:
              name: announce
              parameters:
                base_url: {type: string, default: "http://hooks.local"}
              stages:
                - name: build
                  run: ./build
                  outputs: [version]
                  artifacts: [dist/*.tar.gz, reports/]
                - name: notify
                  uses: http
                  with:
                    url: "${{ params.base_url }}/deploys"
                    method: POST
                    headers:
                      Authorization: "Bearer ${{ secrets.HOOK_TOKEN }}"
                      X-Run: "${{ run.id }}"
                    body: '{"version": "${{ stages.build.outputs.version }}", "build": "${{ stages.build.status }}"}'
                    expect_status: [200, 204]
            """;

    static final Artifact TARBALL = new Artifact("dist/app.tar.gz", "file:///var/artifacts/run-1/build/1/dist/app.tar.gz",
            2048, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");

    @Test
    void httpInputsAreRenderedFromParametersEarlierStagesAndTheRun() {
        EngineDriver run = new EngineDriver(ANNOUNCE).start(Map.of()).started("build");
        run.apply(new EngineEvent.StageFinished("build", run.attemptId("build"), EngineEvent.Outcome.SUCCEEDED, 0, 5L, null,
                List.of(), Map.of(), Map.of("version", "1.4.2"), List.of()));

        Effect.DispatchStage notify = run.dispatches().get(1);
        assertThat(notify.kind()).isEqualTo("http");
        assertThat(notify.inputs()).containsExactly(
                Map.entry("url", "http://hooks.local/deploys"),
                Map.entry("method", "POST"),
                Map.entry("body", "{\"version\": \"1.4.2\", \"build\": \"SUCCEEDED\"}"),
                Map.entry("expect_status", "200,204"));
        // The header that reads a secret goes in pieces: the worker reads the secret, the scheduler never does.
        assertThat(notify.secretInputs()).containsOnly(Map.entry("headers", new SecretText(List.of(
                new SecretText.Text("Authorization: Bearer "), new SecretText.Secret("HOOK_TOKEN"), new SecretText.Text("\nX-Run: run-1")))));
        assertThat(notify.command()).isNull();
    }

    @Test
    void inputsThatMayNotReadSecretsGetNoneEvenFromADefinitionTheLoaderNeverSaw() {
        StageSpec custom = new StageSpec("page", List.of(), null, "pager", Map.of(), StageSpec.DEFAULT_POOL,
                StageSpec.DEFAULT_TIMEOUT, true, null, null, null, null, null, null, List.of(),
                Map.of("token", "[${{ secrets.PAGER }}]", "who", "${{ run.pipeline }}"), List.of(), List.of(), Map.of());
        RunState run = new RunState("run-1", "oncall", 1, null, Map.of(), "tester", RunStatus.RUNNING, Map.of(),
                Instant.EPOCH, Instant.EPOCH.plus(Duration.ofHours(1)), null, null, null);

        var declared = PipelineLoader.load("pipeline: {name: oncall, stages: [{name: page, run: ./page}]}", "oncall.yaml").orThrow();

        StageEnvironment given = StageEnvironment.of(run, custom, 1, declared);

        assertThat(given.inputs()).containsEntry("token", "[]").containsEntry("who", "oncall");
        assertThat(given.secretInputs()).isEmpty();
    }

    @Test
    void anHttpStageThatTimesOutIsNotSaidToHaveHadItsProcessesKilled() {
        EngineDriver run = new EngineDriver(ANNOUNCE.replace("expect_status: [200, 204]", "expect_status: [200, 204]\n      timeout: 5s"))
                .start(Map.of()).started("build").succeeded("build").started("notify");
        run.apply(new EngineEvent.StageFinished("notify", run.attemptId("notify"), EngineEvent.Outcome.TIMED_OUT, null, 5000L,
                "no complete answer to POST http://hooks.local/deploys within 5000 ms", List.of(), Map.of()));

        assertThat(run.state.stage("notify").error()).isEqualTo("timed out after 5s");
    }

    @Test
    void theDeclaredArtifactPathsTravelWithTheCommand() {
        EngineDriver run = new EngineDriver(ANNOUNCE).start(Map.of());
        assertThat(run.dispatches().get(0).artifacts()).containsExactly("dist/*.tar.gz", "reports/");
        assertThat(run.dispatches().get(0).inputs()).isEmpty();
    }

    @Test
    void artifactsTheWorkerKeptStayWithTheStageAndShowInTheReport() {
        EngineDriver run = new EngineDriver(ANNOUNCE).start(Map.of()).started("build");
        run.apply(new EngineEvent.StageFinished("build", run.attemptId("build"), EngineEvent.Outcome.SUCCEEDED, 0, 5L, null,
                List.of(), Map.of(), Map.of(), List.of(TARBALL)));

        assertThat(run.state.stage("build").artifacts()).containsExactly(TARBALL);
        assertThat(RunReport.render(run.state, run.definition)).contains("## Artifacts",
                "| build | dist/app.tar.gz | 2.0 KiB | `" + TARBALL.sha256() + "` | " + TARBALL.location() + " |");
    }

    @Test
    void aFailedAttemptKeepsItsArtifactsUntilTheNextAttemptIsDispatched() {
        EngineDriver run = new EngineDriver("""
                pipeline:
                  name: tests
                  options:
                    retry_policy: {max_attempts: 2, backoff: fixed, initial_delay: 1s}
                  stages:
                    - {name: test, run: ./test, artifacts: ["reports/**"]}
                """).start(Map.of()).started("test");
        Artifact report = new Artifact("reports/unit/TEST-a.xml", "file:///a", 10, "ab");
        run.apply(new EngineEvent.StageFinished("test", run.attemptId("test"), EngineEvent.Outcome.FAILED, 1, 5L,
                "exited with code 1", List.of(), Map.of(), Map.of(), List.of(report)));
        assertThat(run.status("test")).isEqualTo(StageStatus.RETRY_WAIT);
        assertThat(run.state.stage("test").artifacts()).containsExactly(report);

        run.advance(Duration.ofSeconds(1)).fireDueTimers();

        assertThat(run.status("test")).isEqualTo(StageStatus.DISPATCHED);
        assertThat(run.state.stage("test").artifacts()).isEmpty();
    }
}
