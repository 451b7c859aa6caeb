package dev.stagecoach.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.testkit.EmbeddedKafkaBroker;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole stack as separate processes over a real broker, driven through the CLI:
 * scheduler, worker and notifier from their packaged builds, webhooks to a real HTTP server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndIT {

    /** Under target/, so that the services' logs outlive a failed run for whoever investigates it. */
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static LocalStack stack;
    static WebhookSink hooks;
    static ApiClient api;
    static final String VIEWER_TOKEN = "a-viewer-token-for-the-e2e-tests";
    /** A secret of the workers' deployment, as STAGECOACH_SECRET_DEPLOY_KEY; made up per run so that no earlier run's record can hold it. */
    static final String DEPLOY_KEY = "dk-" + UUID.randomUUID();

    @BeforeAll
    static void startStack() throws Exception {
        dir = Files.createDirectories(Path.of("target", "e2e-" + System.currentTimeMillis())).toAbsolutePath();
        broker = EndToEnd.startBroker(dir);
        hooks = new WebhookSink();
        stack = EndToEnd.stackOn(broker, dir)
                .withToken("vera", "viewer:" + VIEWER_TOKEN).withStageSecret("DEPLOY_KEY", DEPLOY_KEY)
                .startServices(broker.bootstrapServers());
        api = new ApiClient(stack.schedulerUrl(), stack.token());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (hooks != null) {
            hooks.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void threeStagePipelineSucceedsNotifiesAndReports() throws Exception {
        Path file = pipeline("e2e-ok", """
                    - name: prepare
                      run: echo preparing > prepared.txt
                    - name: process
                      run: cat prepared.txt && echo processed
                    - name: publish
                      run: echo "published $PARAM_LABEL"
                """);

        EndToEnd.CliRun cli = EndToEnd.cli("run", file.toString(), "--param", "label=first", "--wait", "--server", stack.schedulerUrl(), "--token", stack.token());

        assertThat(cli.exitCode()).as(cli.output()).isZero();
        String runId = cli.runId();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(hooks.deliveriesFor(runId)).extracting(d -> d.body().path("event").asText())
                        .containsExactlyInAnyOrder("on_start", "on_success"));
        assertThat(hooks.deliveriesFor(runId)).allSatisfy(d -> assertThat(d.idempotencyKey()).startsWith(runId));

        String report = api.report(runId);
        assertThat(report).contains("**SUCCEEDED**", "3 of 3 succeeded");
        for (String stage : List.of("prepare", "process", "publish")) {
            assertThat(report).containsPattern("\\| \\d \\| " + stage + " \\| ✅ SUCCEEDED \\| 1 \\| [0-9.]+ (ms|s) \\| 0 \\|");
        }
        JsonNode run = api.run(runId);
        assertThat(run.path("stages").get(2).path("outputTail").get(0).asText()).isEqualTo("published first");
    }

    @Test
    @Order(2)
    void failingMiddleStageFailsTheRunAndTheLastNeverRuns() throws Exception {
        Path file = pipeline("e2e-fail", """
                    - name: prepare
                      run: echo ready
                    - name: process
                      run: |
                        echo "reading input"
                        echo "input.csv: no such file" >&2
                        exit 3
                    - name: publish
                      run: echo never
                """);

        EndToEnd.CliRun cli = EndToEnd.cli("run", file.toString(), "--param", "label=x", "--wait", "--server", stack.schedulerUrl(), "--token", stack.token());

        assertThat(cli.exitCode()).as(cli.output()).isEqualTo(1);
        String runId = cli.runId();
        JsonNode run = api.run(runId);
        assertThat(run.path("status").asText()).isEqualTo("FAILED");
        assertThat(run.path("stages").get(2).path("status").asText()).isEqualTo("SKIPPED");
        assertThat(EndToEnd.commandsFor(broker.clientProperties(), runId)).extracting(StageCommand::getStage).containsExactly("prepare", "process");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(hooks.deliveriesFor(runId)).extracting(d -> d.body().path("event").asText())
                        .containsExactlyInAnyOrder("on_start", "on_failure"));

        String report = api.report(runId);
        assertThat(report).contains("**FAILED**", "critical stage \"process\" failed: exited with code 3",
                "### process", "(exit code 3)", "input.csv: no such file", "reading input");
    }

    @Test
    @Order(3)
    void parameterWithShellMetacharactersStaysInertText() throws Exception {
        Path marker = dir.resolve("pwned-" + UUID.randomUUID());
        String hostile = "$(touch " + marker + "); echo `touch " + marker + "` && touch " + marker;
        Path file = pipeline("e2e-inert", """
                    - name: echo
                      run: printf '%s\\n' "$PARAM_LABEL"
                """);

        EndToEnd.CliRun cli = EndToEnd.cli("run", file.toString(), "--param", "label=" + hostile, "--wait", "--server", stack.schedulerUrl(), "--token", stack.token());

        assertThat(cli.exitCode()).as(cli.output()).isZero();
        assertThat(marker).doesNotExist();
        assertThat(api.run(cli.runId()).path("stages").get(0).path("outputTail").get(0).asText()).isEqualTo(hostile);
    }

    @Test
    @Order(4)
    void schedulerKilledMidStageRecoversAndDispatchesNoAttemptTwice() throws Exception {
        Path gate = dir.resolve("gate-" + UUID.randomUUID());
        Path file = pipeline("e2e-crash", """
                    - name: first
                      run: echo one
                    - name: slow
                      run: |
                        touch "$GATE.started"
                        while [ ! -f "$GATE" ]; do sleep 0.1; done
                        echo released
                      env:
                        GATE: %s
                    - name: last
                      run: echo three
                """.formatted(gate));
        EndToEnd.CliRun started = EndToEnd.cli("run", file.toString(), "--param", "label=crash", "--server", stack.schedulerUrl(), "--token", stack.token());
        assertThat(started.exitCode()).as(started.output()).isZero();
        String runId = started.runId();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(Path.of(gate + ".started")));

        stack.killAndRestart(LocalStack.SCHEDULER, LocalStack.SCHEDULER);
        Files.writeString(gate, "go");

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(EndToEnd.runStatus(api, runId)).isEqualTo("SUCCEEDED"));
        List<StageCommand> executed = EndToEnd.commandsFor(broker.clientProperties(), runId);
        assertThat(executed).extracting(StageCommand::getAttemptId)
                .containsExactly(runId + "/first/1", runId + "/slow/1", runId + "/last/1");
    }

    @Test
    @Order(5)
    void httpStageCallsARealServerWithRenderedInputsAndAShellStageKeepsItsArtifact() throws Exception {
        Path file = pipeline("e2e-http", """
                    - name: build
                      outputs: [version]
                      artifacts: [dist/*.txt, coverage/*.xml]
                      run: |
                        mkdir -p dist
                        echo "release $PARAM_LABEL" > dist/release.txt
                        echo "::output version=1.4.2"
                    - name: announce
                      uses: http
                      with:
                        url: "%s"
                        method: POST
                        headers:
                          Content-Type: application/json
                          X-Label: "${{ params.label }}"
                        body: '{"runId": "${{ run.id }}", "version": "${{ stages.build.outputs.version }}"}'
                        expect_status: 204
                """.formatted(hooks.url("/announce")));

        EndToEnd.CliRun cli = EndToEnd.cli("run", file.toString(), "--param", "label=e2e-http", "--wait", "--server", stack.schedulerUrl(), "--token", stack.token());

        assertThat(cli.exitCode()).as(cli.output()).isZero();
        String runId = cli.runId();
        WebhookSink.Delivery announced = hooks.deliveriesFor(runId).stream().filter(d -> d.path().equals("/announce"))
                .findFirst().orElseThrow(() -> new AssertionError("the http stage's request never arrived"));
        assertThat(announced.headers().getFirst("X-Label")).isEqualTo("e2e-http");
        assertThat(announced.headers().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(announced.body().path("version").asText()).isEqualTo("1.4.2");

        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("release e2e-http\n".getBytes(StandardCharsets.UTF_8)));
        String report = api.report(runId);
        assertThat(report).contains("## Artifacts", "| build | dist/release.txt | 17 B | `" + sha256 + "` | file:",
                "| announce | status | `204` |");
        JsonNode build = api.run(runId).path("stages").get(0);
        JsonNode artifact = build.path("artifacts").get(0);
        assertThat(Path.of(URI.create(artifact.path("location").asText()))).hasContent("release e2e-http");
        List<String> tail = new ArrayList<>();
        build.path("outputTail").forEach(line -> tail.add(line.asText()));
        assertThat(tail).contains("[stagecoach] warning: artifact \"coverage/*.xml\" matched no file");
    }

    private static Path pipeline(String name, String stages) throws Exception {
        String yaml = """
                pipeline:
                  name: %s
                  parameters:
                    label: {type: string, required: true}
                  stages:
                %s
                  notifications:
                    on_start: [{webhook: "%s"}]
                    on_success: [{webhook: "%s"}]
                    on_failure: [{webhook: "%s"}]
                """.formatted(name, stages.stripTrailing(), hooks.url("/start"), hooks.url("/success"), hooks.url("/failure"));
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }


    @Test
    @Order(6)
    void theApiRefusesCallersWithoutATokenOrWithoutTheRoleAndNamesTheProblem() {
        assertThatThrownBy(() -> new ApiClient(stack.schedulerUrl(), null).run("any"))
                .isInstanceOfSatisfying(ApiClient.ApiException.class, e -> {
                    assertThat(e.status).isEqualTo(401);
                    assertThat(e.getMessage()).contains("needs a bearer token", "Authorization: Bearer <token>");
                });
        assertThatThrownBy(() -> new ApiClient(stack.schedulerUrl(), "not-a-token-anyone-was-given").run("any"))
                .isInstanceOfSatisfying(ApiClient.ApiException.class, e -> {
                    assertThat(e.status).isEqualTo(401);
                    assertThat(e.getMessage()).isEqualTo("the bearer token is not one this scheduler accepts");
                });

        ApiClient viewer = new ApiClient(stack.schedulerUrl(), VIEWER_TOKEN);
        assertThatThrownBy(() -> viewer.run("no-such-run")).as("a viewer passes auth and reads")
                .isInstanceOfSatisfying(ApiClient.ApiException.class, e -> assertThat(e.status).isEqualTo(404));
        assertThatThrownBy(() -> viewer.start("e2e-ok", Map.of("label", "x"), "vera"))
                .isInstanceOfSatisfying(ApiClient.ApiException.class, e -> {
                    assertThat(e.status).isEqualTo(403);
                    assertThat(e.getMessage()).startsWith("token \"vera\" has role viewer; POST ").endsWith("e2e-ok/runs needs operator");
                });
        assertThatThrownBy(() -> viewer.register("pipeline: {name: sneaky, stages: [{name: a, run: 'true'}]}", "sneaky.yaml"))
                .isInstanceOfSatisfying(ApiClient.ApiException.class, e -> assertThat(e.status).isEqualTo(403));

        String runId = api.start("e2e-ok", Map.of("label", "by-admin"), "alice").path("runId").asText();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(ApiClient.ApiException.class).untilAsserted(() ->
                assertThat(api.run(runId).path("requestedBy").asText()).as("the token's name, and whom the client named")
                        .isEqualTo(LocalStack.LOCAL_TOKEN_NAME + " (for alice)"));
    }

    @Test
    @Order(7)
    void neitherASecretNorASecretParameterCrossesKafkaInClearYetTheStageSeesBoth() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        Path seen = dir.resolve("seen-by-the-stage.txt");
        Path file = dir.resolve("e2e-secrets.yaml");
        Files.writeString(file, """
                pipeline:
                  name: e2e-secrets
                  parameters:
                    token: {type: string, secret: true, required: true}
                    seen: {type: string, required: true}
                  stages:
                    - name: deploy
                      env:
                        AUTH: "Bearer ${{ params.token }}"
                        KEY: "${{ secrets.DEPLOY_KEY }}"
                      run: |
                        printf '%s\\n' "$AUTH" "$KEY" "$PARAM_TOKEN" > "$PARAM_SEEN"
                        echo "deploying with $KEY as $PARAM_TOKEN"
                """);

        EndToEnd.CliRun cli = EndToEnd.cli("run", file.toString(), "--param", "token=" + token, "--param", "seen=" + seen,
                "--wait", "--server", stack.schedulerUrl(), "--token", stack.token());

        assertThat(cli.exitCode()).as(cli.output()).isZero();
        assertThat(Files.readAllLines(seen)).containsExactly("Bearer " + token, DEPLOY_KEY, token);
        String runId = cli.runId();
        assertThat(api.run(runId).path("parameters").path("token").asText()).isEqualTo("***");
        assertThat(EndToEnd.stage(api.run(runId), "deploy").path("outputTail").get(0).asText()).isEqualTo("deploying with *** as ***");

        // The scan finds what it looks for: a canary, Base64-encoded one byte off, in a record of its own.
        String canary = "canary-" + UUID.randomUUID();
        byte[] shifted = ("x" + canary).getBytes(StandardCharsets.UTF_8);
        EndToEnd.produce(broker.clientProperties(), "e2e-scan-canary", "k", "{\"blob\": \"" + java.util.Base64.getEncoder().encodeToString(shifted) + "\"}");

        ClusterScan.Result result = new ClusterScan(broker.clientProperties()).scan(List.of(token, DEPLOY_KEY, canary));
        assertThat(result.holding()).as("where each text showed, of %d records read", result.records())
                .containsOnly(Map.entry(canary, Map.of("e2e-scan-canary", 1)));
        assertThat(result.records()).as("the run's commands, results, logs, changelog records and more").isGreaterThan(100);
    }
}
