package dev.stagecoach.scheduler.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.TriggerType;
import dev.stagecoach.scheduler.SchedulerFixture;
import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler's REST API and engine wiring against a real broker (no worker: stages stay dispatched). */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = KafkaBrokerResource.TOPICS,
        value = SchedulerFixture.TOPICS))
class SchedulerApiTest {

    @Inject
    EventPublisher publisher;
    @Inject
    StagecoachConfig config;

    static final String PIPELINE = """
            pipeline:
              name: api-test
              parameters:
                version: {type: string, required: true, pattern: '\\d+\\.\\d+'}
                retries: {type: integer, min: 0, max: 5, default: 1}
                token: {type: string, secret: true}
              stages:
                - name: build
                  run: make
            """;

    @BeforeEach
    void engineIsRunning() {
        SchedulerFixture.awaitEngineReady();
    }

    @Test
    void registeredPipelineRunsAndItsStatusAndReportAreServed() {
        register(PIPELINE);
        String runId = given().contentType(ContentType.JSON)
                .body(Map.of("parameters", Map.of("version", "1.2", "token", "hunter2")))
                .post("/api/pipelines/api-test/runs")
                .then().statusCode(202).body("pipeline", equalTo("api-test"))
                .extract().path("runId");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/runs/" + runId)
                .then().statusCode(200)
                .body("status", equalTo("RUNNING"))
                .body("stages[0].status", equalTo("DISPATCHED"))
                .body("parameters.token", equalTo("***"))
                .body("parameters.retries", equalTo("1")));
        given().get("/api/runs/" + runId + "/report").then().statusCode(200)
                .contentType(containsString("text/markdown"))
                .body(containsString("# Pipeline execution report: api-test"), containsString("| 1 | build |"),
                        not(containsString("hunter2")));

        given().contentType(ContentType.JSON).body(Map.of("by", "tester")).post("/api/runs/" + runId + "/cancel")
                .then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/runs/" + runId)
                .then().body("status", equalTo("CANCELLED")).body("reason", equalTo("cancelled by tester")));
    }

    @Test
    void sameIdempotencyKeyStartsOneRun() {
        register(PIPELINE);
        String first = start("same-key");
        String second = start("same-key");
        org.assertj.core.api.Assertions.assertThat(second).isEqualTo(first);
        org.assertj.core.api.Assertions.assertThat(start("other-key")).isNotEqualTo(first);
    }

    @Test
    void invalidPipelineIsRefusedWithEveryErrorLocated() {
        given().contentType("application/yaml").queryParam("file", "broken.yaml").body("""
                pipeline:
                  name: broken
                  stages:
                    - name: build
                      run: make
                      timout: 5m
                    - name: test
                      needs: [biuld]
                """.getBytes(StandardCharsets.UTF_8)).post("/api/pipelines")
                .then().statusCode(400)
                .body("error", equalTo("the pipeline is not valid"))
                .body("problems", containsInAnyOrder(
                        containsString("broken.yaml:6:7 pipeline.stages[0].timout: unknown key \"timout\" (did you mean \"timeout\"?)"),
                        containsString("broken.yaml:8:14 pipeline.stages[1].needs: unknown stage \"biuld\" (did you mean \"build\"?)")));
    }

    @Test
    void wrongParametersAreAllReportedAtOnceWithoutEchoingSecrets() {
        register(PIPELINE);
        given().contentType(ContentType.JSON)
                .body(Map.of("parameters", Map.of("version", "one", "retries", "9", "token", "x", "colour", "red")))
                .post("/api/pipelines/api-test/runs")
                .then().statusCode(400)
                .body("problems", contains(
                        "parameter \"colour\": not declared by pipeline \"api-test\"; declared: version, retries, token",
                        "parameter \"version\": \"one\" does not match the pattern \\d+\\.\\d+",
                        "parameter \"retries\": \"9\" is above the maximum 5"));
        given().contentType(ContentType.JSON).body(Map.of("parameters", Map.of()))
                .post("/api/pipelines/api-test/runs")
                .then().statusCode(400).body("problems", hasItem("parameter \"version\": required, but no value was given"));
    }

    @Test
    void unknownPipelineAndUnknownRunAreNotFound() {
        given().contentType(ContentType.JSON).body(Map.of()).post("/api/pipelines/nope/runs")
                .then().statusCode(404).body("error", equalTo("no pipeline named \"nope\" is registered"));
        given().get("/api/runs/no-such-run").then().statusCode(404);
    }

    @Test
    void resumeOfARunWhosePipelineWasNeverRegisteredIsRefusedWithTheReason() {
        String runId = "never-started-" + System.nanoTime();
        publisher.publish(config.topics().runRequests(), runId, RunRequested.newBuilder().setRunId(runId).setPipeline("gone")
                .setTrigger(TriggerType.EVENT).setRequestedBy("another system").setRequestedAt(Instant.now()).build());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/runs/" + runId)
                .then().statusCode(200).body("status", equalTo("FAILED")));

        given().contentType(ContentType.JSON).body(Map.of("by", "tester")).post("/api/runs/" + runId + "/resume")
                .then().statusCode(409)
                .body("error", equalTo("run " + runId + " never started a stage (no pipeline named \"gone\" is registered); "
                        + "start a new run instead"));
    }

    private static void register(String yaml) {
        SchedulerFixture.register(yaml);
    }

    private static String start(String key) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("parameters", Map.of("version", "1.0", "token", "t")))
                .post("/api/pipelines/api-test/runs").then().statusCode(202).extract().path("runId");
    }
}
