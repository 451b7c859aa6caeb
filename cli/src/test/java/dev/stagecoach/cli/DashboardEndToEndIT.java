package dev.stagecoach.cli;

import static dev.stagecoach.cli.EndToEnd.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagecoach.testkit.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * What operators see and do, over the packaged services on a real broker: run lists, logs and
 * live events through the API and the CLI, and the dashboard in a real browser (headless
 * Chromium driven by Selenium) with an operator's and a viewer's token.
 */
class DashboardEndToEndIT {

    private static final String OPERATOR_TOKEN = "operator-token-for-the-dashboard-test";
    private static final String VIEWER_TOKEN = "viewer-token-for-the-dashboard-test";
    private static final Duration ON_SCREEN_WITHIN = Duration.ofSeconds(60);

    static Path dir;
    static EmbeddedKafkaBroker broker;
    static LocalStack stack;
    static ApiClient admin;
    static Browser browser;

    @BeforeAll
    static void startStack() throws Exception {
        dir = Files.createDirectories(Path.of("target", "e2e-dashboard-" + System.currentTimeMillis())).toAbsolutePath();
        broker = EndToEnd.startBroker(dir);
        stack = EndToEnd.stackOn(broker, dir)
                .withToken("olga", "operator:" + OPERATOR_TOKEN)
                .withToken("victor", "viewer:" + VIEWER_TOKEN)
                .withTokenScope("victor", "watched", "stream*")
                .startServices(broker.bootstrapServers());
        admin = new ApiClient(stack.schedulerUrl(), stack.token());
        browser = new Browser();
    }

    @AfterAll
    static void stopStack() {
        if (browser != null) {
            browser.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aStageThatPrintsThousandsOfLinesCanBeReadThroughTheApiAndTheCli() throws Exception {
        String runId = startRun("chatty", """
                  stages:
                    - name: count
                      run: seq 1 25000
                """);
        assertThat(EndToEnd.awaitEnd(admin, runId, Duration.ofSeconds(90)).path("status").asText()).isEqualTo("SUCCEEDED");

        // The scheduler keeps the newest 10,000 lines of the attempt and counts the rest.
        JsonNode kept = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> admin.logs(runId, "count", 1),
                logs -> logs.path("lines").size() > 0 && logs.path("lines").get(logs.path("lines").size() - 1).path("text").asText().equals("25000"));
        assertThat(kept.path("lines")).hasSize(10_000);
        assertThat(kept.path("dropped").asLong()).isEqualTo(15_000);
        assertThat(kept.path("lines").get(0).path("text").asText()).isEqualTo("15001");

        EndToEnd.CliRun logs = cli("logs", runId, "count", "--server", stack.schedulerUrl(), "--token", stack.token());
        assertThat(logs.exitCode()).isZero();
        assertThat(logs.output()).contains("==> count (attempt 1) <==", "15000 earlier lines were dropped", "\n25000\n");

        EndToEnd.CliRun runs = cli("runs", "--pipeline", "chatty", "--output", "json", "--server", stack.schedulerUrl(),
                "--token", stack.token());
        assertThat(runs.exitCode()).isZero();
        JsonNode page = new ObjectMapper().readTree(runs.output().substring(runs.output().indexOf('{')));
        assertThat(page.path("runs").get(0).path("runId").asText()).isEqualTo(runId);
        assertThat(page.path("runs").get(0).path("status").asText()).isEqualTo("SUCCEEDED");

        EndToEnd.CliRun pipelines = cli("pipelines", "--server", stack.schedulerUrl(), "--token", stack.token());
        assertThat(pipelines.output()).containsPattern("chatty\\s+1\\s+manual\\s+.*SUCCEEDED " + runId);
        EndToEnd.CliRun wrongFilter = cli("runs", "--status", "DONE", "--server", stack.schedulerUrl(), "--token", stack.token());
        assertThat(wrongFilter.exitCode()).isEqualTo(Stagecoach.BAD_INPUT);
        assertThat(wrongFilter.output()).contains("status: \"DONE\" is not one of RUNNING, SUCCEEDED, FAILED, CANCELLED");
    }

    @Test
    void runWaitPrintsPlainLinesWhenItsOutputIsNoTerminal() throws Exception {
        Path file = dir.resolve("plain.yaml");
        Files.writeString(file, """
                pipeline:
                  name: plain
                  stages:
                    - {name: one, run: echo one}
                    - {name: two, needs: [one], run: echo two}
                """);
        EndToEnd.CliRun waited = cli("run", file.toString(), "--wait", "--server", stack.schedulerUrl(), "--token", stack.token());

        assertThat(waited.exitCode()).isZero();
        assertThat(waited.output()).contains("SUCCEEDED").doesNotContain("\u001b").doesNotContain("\r");
    }

    @Test
    void theEventStreamDeliversEachStagesChange() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        ApiClient viewer = new ApiClient(stack.schedulerUrl(), VIEWER_TOKEN);
        CompletableFuture<Void> open = new CompletableFuture<>();
        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> viewer.follow("/api/events?pipeline=streamed",
                () -> open.complete(null),
                event -> events.add(event.path("type").asText() + (event.hasNonNull("stage") ? " " + event.path("stage").asText() : ""))));
        // A run started before the stream is open would be missed.
        open.get(10, java.util.concurrent.TimeUnit.SECONDS);
        String runId = startRun("streamed", """
                  stages:
                    - {name: build, run: echo build}
                    - {name: test, needs: [build], run: echo test}
                """);
        assertThat(EndToEnd.awaitEnd(admin, runId, Duration.ofSeconds(60)).path("status").asText()).isEqualTo("SUCCEEDED");

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(List.copyOf(events))
                .containsSubsequence("RUN_STARTED", "STAGE_STARTED build", "STAGE_SUCCEEDED build",
                        "STAGE_STARTED test", "STAGE_SUCCEEDED test", "RUN_SUCCEEDED"));
        following.cancel(true);
    }

    @Test
    void aRunStartedFromThePageReachesSucceededOnScreenWithoutAReload() throws Exception {
        register("from-the-page", """
                  parameters:
                    version: {type: string, required: true}
                    dry_run: {type: boolean, default: false}
                  stages:
                    - name: build
                      env: {VERSION: "${{ params.version }}"}
                      run: echo "building $VERSION"
                    - {name: ship, needs: [build], run: echo shipped}
                """);
        signIn(OPERATOR_TOKEN);
        browser.open(stack.schedulerUrl() + "/#/pipelines");
        browser.awaitClickable(By.cssSelector("tr[data-pipeline='from-the-page'] button.start-run"), ON_SCREEN_WITHIN).click();
        browser.await(By.name("param-version"), ON_SCREEN_WITHIN).sendKeys("1.2.3");
        browser.script("window.stagecoachTestMarker = 'same page';");
        browser.awaitClickable(By.id("start-submit"), ON_SCREEN_WITHIN).click();

        browser.await(By.cssSelector("#run-status[data-status='SUCCEEDED']"), ON_SCREEN_WITHIN);
        browser.await(By.cssSelector("g.stage[data-stage='ship'][data-status='SUCCEEDED']"), ON_SCREEN_WITHIN);
        assertThat(browser.script("return window.stagecoachTestMarker;")).isEqualTo("same page");
        String runId = browser.driver().getCurrentUrl().replaceFirst(".*#/runs/", "");
        JsonNode run = admin.run(runId);
        assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.path("requestedBy").asText()).isEqualTo("olga");
        assertThat(run.path("parameters").path("version").asText()).isEqualTo("1.2.3");
        // The report, rendered as HTML, once the run ended.
        browser.await(By.xpath("//section[@id='report']//h1 | //section[@id='report']//h2[contains(., 'report')]"), ON_SCREEN_WITHIN);
    }

    @Test
    void anOperatorApprovesAWaitingStageFromThePageAndTheRunGoesOn() throws Exception {
        Path smokeMayEnd = dir.resolve("smoke-may-end");
        String runId = startRun("gated", """
                  stages:
                    - {name: build, run: echo built}
                    - {name: smoke, run: 'while [ ! -f %s ]; do sleep 0.1; done; echo smoked'}
                    - name: deploy
                      needs: [build]
                      manual_approval: {approvers: [olga], timeout: 10m}
                      run: echo deployed
                """.formatted(smokeMayEnd));
        signIn(OPERATOR_TOKEN);
        browser.open(stack.schedulerUrl() + "/#/runs/" + runId);
        browser.clickNow("g.stage[data-stage='deploy'][data-status='AWAITING_APPROVAL']", ON_SCREEN_WITHIN);
        browser.await(By.id("decision-comment"), ON_SCREEN_WITHIN).sendKeys("looks good");
        // Another stage ends while the operator writes: the page redraws, and what they wrote stays.
        Files.createFile(smokeMayEnd);
        browser.await(By.cssSelector("g.stage[data-stage='smoke'][data-status='SUCCEEDED']"), ON_SCREEN_WITHIN);
        assertThat(browser.driver().findElement(By.id("decision-comment")).getAttribute("value")).isEqualTo("looks good");
        browser.awaitClickable(By.id("approve"), ON_SCREEN_WITHIN).click();

        browser.await(By.cssSelector("#run-status[data-status='SUCCEEDED']"), ON_SCREEN_WITHIN);
        JsonNode deploy = EndToEnd.stage(admin.run(runId), "deploy");
        assertThat(deploy.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(deploy.path("approval").path("by").asText()).isEqualTo("olga");
        assertThat(deploy.path("approval").path("comment").asText()).isEqualTo("looks good");
    }

    @Test
    void aViewersPagesHaveNoActionButtons() throws Exception {
        String runId = startRun("watched", """
                  stages:
                    - {name: build, run: echo built}
                    - name: deploy
                      needs: [build]
                      manual_approval: {timeout: 10m}
                      run: echo deployed
                """);
        signIn(VIEWER_TOKEN);
        browser.open(stack.schedulerUrl() + "/#/pipelines");
        browser.await(By.cssSelector("tr[data-pipeline='watched']"), ON_SCREEN_WITHIN);
        assertThat(browser.all(By.cssSelector("button.start-run"))).isEmpty();

        browser.open(stack.schedulerUrl() + "/#/runs/" + runId);
        browser.clickNow("g.stage[data-stage='deploy'][data-status='AWAITING_APPROVAL']", ON_SCREEN_WITHIN);
        browser.await(By.xpath("//section[@id='stage-detail']//h2[contains(., 'deploy')]"), ON_SCREEN_WITHIN);
        assertThat(browser.all(By.cssSelector("#main button"))).isEmpty();
        assertThat(browser.driver().findElement(By.id("who")).getText()).isEqualTo("victor · viewer · pipelines watched, stream*");
        admin.control(runId, "cancel", null, "admin", "test over");
    }

    @Test
    void aStagesLinesAppearWhileItRuns() throws Exception {
        String runId = startRun("release-train", """
                  type: hybrid
                  stages:
                    - {name: checkout, run: echo checked out}
                    - {name: build, needs: [checkout], run: echo built}
                    - {name: unit-tests, needs: [build], run: echo 120 tests passed}
                    - {name: lint, needs: [build], run: echo clean}
                    - name: deploy
                      needs: [unit-tests, lint]
                      timeout: 2m
                      run: for i in $(seq 1 600); do echo "deploying step $i of 600"; sleep 0.1; done
                    - {name: smoke-test, needs: [deploy], run: echo ok}
                """);
        signIn(OPERATOR_TOKEN);
        browser.open(stack.schedulerUrl() + "/#/runs/" + runId);
        browser.clickNow("g.stage[data-stage='deploy'][data-status='RUNNING']", ON_SCREEN_WITHIN);
        browser.await(By.xpath("//section[@id='logs']//h2[contains(., 'deploy')]"), ON_SCREEN_WITHIN);
        browser.await(By.cssSelector("#log-lines .line"), ON_SCREEN_WITHIN);
        Awaitility.await().atMost(ON_SCREEN_WITHIN).until(() -> browser.all(By.cssSelector("#log-lines .line")).size() >= 20);
        // Still running: the lines came while the stage printed them, not at its end.
        assertThat(admin.run(runId).path("status").asText()).isEqualTo("RUNNING");
        assertThat(browser.driver().findElement(By.id("run-status")).getAttribute("data-status")).isEqualTo("RUNNING");
        assertThat(browser.script("return document.querySelector('#log-lines .line').textContent;")).isEqualTo("deploying step 1 of 600");
        assertThat(browser.all(By.cssSelector("#eta, .progress"))).isNotEmpty();

        Path shot = dir.resolve("run-page.png");
        browser.screenshot(shot);
        if (Boolean.getBoolean("stagecoach.test.update-screenshot")) {
            browser.screenshot(Stagecoach.home().resolve("docs/dashboard-run.png"));
        }
        assertThat(Files.size(shot)).isGreaterThan(10_000);
        admin.control(runId, "cancel", null, "admin", "test over");
    }

    private static void signIn(String token) {
        // A fresh session each time: the token lives in sessionStorage, which a new address with #token= replaces.
        browser.open(stack.schedulerUrl() + "/#token=" + token);
        browser.await(By.id("who"), ON_SCREEN_WITHIN);
        Awaitility.await().atMost(ON_SCREEN_WITHIN).until(() -> !browser.driver().findElement(By.id("who")).getText().isEmpty());
    }

    private static String startRun(String name, String body) throws Exception {
        return EndToEnd.startRun(stack, dir, name, body);
    }

    private static void register(String name, String body) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "pipeline:\n  name: " + name + "\n" + body);
        admin.register(Files.readString(file), file.toString());
    }
}
