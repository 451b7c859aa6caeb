package dev.stagecoach.scheduler.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.stagecoach.events.DeadLetters;
import dev.stagecoach.events.LogBatch;
import dev.stagecoach.scheduler.SchedulerFixture;
import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Run lists, their filters and paging, and stage output as the API serves them, against a real
 * broker: runs are started through the API and the engine; log lines are written to the logs
 * topic in a worker's format (the worker's side is covered end to end in the cli module).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = KafkaBrokerResource.TOPICS,
        value = SchedulerFixture.TOPICS))
class RunListAndLogsTest {

    @Inject
    EventPublisher publisher;
    @Inject
    StagecoachConfig config;

    private static final String LISTED = """
            pipeline:
              name: listed
              stages:
                - name: build
                  run: make
            """;
    private static final String OTHER = """
            pipeline:
              name: listed-other
              stages:
                - name: build
                  run: make
            """;

    @BeforeEach
    void engineIsRunning() {
        SchedulerFixture.awaitEngineReady();
    }

    @Test
    void listsFilterAndPageOverManyRunsNewestFirst() {
        SchedulerFixture.register(LISTED);
        SchedulerFixture.register(OTHER);
        Instant before = Instant.now();
        List<String> started = new ArrayList<>();
        IntStream.range(0, 60).forEach(i -> started.add(start("listed")));
        List<String> others = IntStream.range(0, 5).mapToObj(i -> start("listed-other")).toList();
        given().contentType(ContentType.JSON).body(Map.of("by", "tester")).post("/api/runs/" + others.get(0) + "/cancel")
                .then().statusCode(202);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("pipeline", "listed").queryParam("limit", 500)
                .get("/api/runs").then().statusCode(200).body("runs.size()", equalTo(60)));

        // Three pages of 25, 25 and 10: every run once, newest first, and no cursor after the last.
        List<Map<String, Object>> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("pipeline", "listed").queryParam("limit", 25);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/runs").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("runs"));
            cursor = page.getString("next");
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).extracting(run -> (String) run.get("runId")).containsExactlyInAnyOrderElementsOf(started);
        List<Instant> created = seen.stream().map(run -> Instant.parse((String) run.get("createdAt"))).toList();
        assertThat(created).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(seen).allSatisfy(run -> {
            assertThat(run.get("trigger")).isEqualTo("MANUAL");
            assertThat(run.get("stagesTotal")).isEqualTo(1);
        });

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("status", "cancelled")
                .queryParam("pipeline", "listed-other").get("/api/runs")
                .then().statusCode(200).body("runs.runId", contains(others.get(0))));
        given().queryParam("pipeline", "listed-other").queryParam("status", "RUNNING").get("/api/runs")
                .then().body("runs.size()", equalTo(4));
        given().queryParam("pipeline", "listed").queryParam("trigger", "cron").get("/api/runs")
                .then().body("runs.size()", equalTo(0));
        given().queryParam("pipeline", "listed").queryParam("until", before.toString()).get("/api/runs")
                .then().body("runs.size()", equalTo(0));
        given().queryParam("pipeline", "listed").queryParam("since", "1h").queryParam("limit", 500).get("/api/runs")
                .then().body("runs.size()", equalTo(60));

        given().get("/api/pipelines").then().statusCode(200)
                .body("find { it.name == 'listed-other' }.lastRun.runId", equalTo(others.get(4)))
                .body("find { it.name == 'listed' }.triggers.kind", contains("manual"));
    }

    @Test
    void aPipelineWithACronTriggerShowsItsNextFireTime() {
        SchedulerFixture.register("""
                pipeline:
                  name: listed-nightly
                  triggers:
                    - cron: {schedule: "30 2 * * *", timezone: Europe/Paris}
                  stages:
                    - name: build
                      run: make
                """);
        Instant before = Instant.now();

        String next = given().get("/api/pipelines").then().statusCode(200)
                .body("find { it.name == 'listed-nightly' }.triggers.kind", contains("cron"))
                .body("find { it.name == 'listed-nightly' }.triggers.detail", contains("30 2 * * * Europe/Paris"))
                .extract().path("find { it.name == 'listed-nightly' }.nextCronFire");

        Instant fire = Instant.parse(next);
        assertThat(fire).isAfter(before).isBefore(before.plus(Duration.ofHours(25)));
        assertThat(fire.atZone(java.time.ZoneId.of("Europe/Paris")).toLocalTime()).isEqualTo(java.time.LocalTime.of(2, 30));
    }

    @Test
    void wrongFiltersAreAllNamedAtOnce() {
        given().queryParam("status", "DONE").queryParam("trigger", "phone").queryParam("since", "yesterday")
                .queryParam("limit", 0).queryParam("cursor", "%%%").get("/api/runs")
                .then().statusCode(400)
                .body("problems", hasItem(containsString("status: \"DONE\" is not one of RUNNING, SUCCEEDED, FAILED, CANCELLED")))
                .body("problems", hasItem(containsString("trigger: \"phone\" is not one of MANUAL, CRON, WEBHOOK, EVENT, CONDITIONAL")))
                .body("problems", hasItem(containsString("since: \"yesterday\" is neither an instant")))
                .body("problems", hasItem(containsString("limit: \"0\" is not a number from 1 to 500")))
                .body("problems", hasItem(containsString("cursor: ")));
    }

    @Test
    void aStageThatPrintsThousandsOfLinesKeepsTheNewestAndSaysHowManyWereDropped() {
        String runId = "logs-" + System.nanoTime();
        String attemptId = runId + "/build/1";
        int printed = 12_345;
        int kept = config.logs().linesPerAttempt();
        // As a worker writes them: batches of up to 500 lines, numbered from 1; one batch arrives twice.
        for (int first = 1; first <= printed; first += 500) {
            List<String> lines = new ArrayList<>();
            for (int n = first; n < Math.min(first + 500, printed + 1); n++) {
                lines.add("line " + n);
            }
            LogBatch batch = LogBatch.newBuilder().setRunId(runId).setStage("build").setAttemptId(attemptId)
                    .setFirstLine(first).setLines(lines).setAt(Instant.now()).build();
            publisher.publish(config.topics().logs(), runId, batch);
            if (first == 501) {
                publisher.publish(config.topics().logs(), runId, batch);
            }
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("stage", "build")
                .get("/api/runs/" + runId + "/logs").then().statusCode(200)
                .body("lines[-1].text", equalTo("line " + printed)));
        JsonPath log = given().queryParam("stage", "build").queryParam("attempt", 1).get("/api/runs/" + runId + "/logs")
                .then().statusCode(200).extract().jsonPath();
        assertThat(log.getList("lines")).hasSize(kept);
        assertThat(log.getLong("dropped")).isEqualTo(printed - kept);
        assertThat(log.getString("lines[0].text")).isEqualTo("line " + (printed - kept + 1));
        Set<Long> numbers = new HashSet<>(log.getList("lines.number", Long.class));
        assertThat(numbers).hasSize(kept);

        given().get("/api/runs/" + runId + "/logs").then().statusCode(200)
                .body("attempts.stage", contains("build")).body("attempts[0].attempt", equalTo(1));
        given().queryParam("stage", "deploy").get("/api/runs/" + runId + "/logs").then().statusCode(404)
                .body("error", containsString("has no output of stage \"deploy\""));
    }

    @Test
    void anUnreadableLogRecordIsDeadLetteredAndTheNextOneIsServed() {
        String runId = "poisoned-logs-" + System.nanoTime();
        publisher.send(new ProducerRecord<>(config.topics().logs().name(), runId, "not a log batch".getBytes(StandardCharsets.UTF_8)));
        publisher.publish(config.topics().logs(), runId, LogBatch.newBuilder().setRunId(runId).setStage("build")
                .setAttemptId(runId + "/build/1").setFirstLine(1).setLines(List.of("after the poison")).setAt(Instant.now()).build());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("stage", "build")
                .get("/api/runs/" + runId + "/logs").then().statusCode(200).body("lines[0].text", equalTo("after the poison")));
        await().atMost(Duration.ofSeconds(30)).until(() -> SchedulerFixture.readToEnd(
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                config.topics().deadLetters().name()).stream().anyMatch(record -> runId.equals(record.key())
                && "scheduler-logs".equals(header(record, DeadLetters.CONSUMER))));
    }

    @Test
    void aRunsStatusShowsItsProgress() {
        SchedulerFixture.register(LISTED);
        String runId = start("listed");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/runs/" + runId).then().statusCode(200)
                .body("progress.done", equalTo(0)).body("progress.total", equalTo(1))
                .body("progress.running", contains("build"))
                .body("trigger", equalTo("MANUAL")));
        // No run of it ever succeeded: there is nothing to estimate from.
        given().get("/api/runs/" + runId).then().body("progress.estimatedEnd", nullValue());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String start(String pipeline) {
        return given().contentType(ContentType.JSON).body(Map.of("parameters", Map.of()))
                .post("/api/pipelines/" + pipeline + "/runs").then().statusCode(202).extract().path("runId");
    }
}
