package dev.stagecoach.scheduler.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.stagecoach.events.AuditAction;
import dev.stagecoach.events.AuditEntry;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.scheduler.SchedulerFixture;
import dev.stagecoach.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit trail's wiring against a real broker: the API writes each privileged action once
 * to the audit topic, and {@code GET /api/audit} serves it back newest first. Auth is off in
 * this profile, so no token is recorded; tokens and scopes are covered end to end in the cli module.
 * The scheduler sets the topic's retention at start: the test broker creates it without one.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = KafkaBrokerResource.TOPICS,
        value = SchedulerFixture.TOPICS))
class AuditTrailTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeEach
    void engineIsRunning() {
        SchedulerFixture.awaitEngineReady();
    }

    @Test
    void registerStartAndCancelAreEachRecordedOnceAndServedNewestFirst() {
        SchedulerFixture.register("""
                pipeline:
                  name: audited
                  stages:
                    - name: build
                      run: sleep 60
                """);
        String runId = given().contentType(ContentType.JSON).body(Map.of("parameters", Map.of(), "requestedBy", "alice"))
                .post("/api/pipelines/audited/runs").then().statusCode(202).extract().path("runId");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().contentType(ContentType.JSON)
                .body(Map.of("by", "bob", "comment", "wrong branch")).post("/api/runs/" + runId + "/cancel").then().statusCode(202));

        Topic<AuditEntry> audit = new Topics(Topics.DEFAULT_PREFIX).audit();
        List<AuditEntry> entries = SchedulerFixture.readToEnd(bootstrapServers, audit.name()).stream()
                .filter(r -> "audited".equals(r.key()))
                .map(r -> audit.valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
        assertThat(entries).extracting(AuditEntry::getAction, AuditEntry::getBy, AuditEntry::getRunId)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(AuditAction.REGISTER, "api", null),
                        org.assertj.core.groups.Tuple.tuple(AuditAction.START, "alice", runId),
                        org.assertj.core.groups.Tuple.tuple(AuditAction.CANCEL, "bob", runId));
        assertThat(entries).allSatisfy(entry -> assertThat(entry.getToken()).isNull());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("pipeline", "audited").get("/api/audit")
                .then().statusCode(200)
                .body("entries.action", equalTo(List.of("CANCEL", "START", "REGISTER")))
                .body("entries[0].comment", equalTo("wrong branch"))
                .body("entries[2].detail", containsString("revision 1, sha256 ")));
    }

    @Test
    void aStartRetriedWithItsIdempotencyKeyIsWrittenWithTheSameIdAndServedOnce() {
        SchedulerFixture.register("""
                pipeline:
                  name: retried
                  stages:
                    - name: build
                      run: echo built
                """);
        String first = startWithKey("retried", "deploy-4711");
        String again = startWithKey("retried", "deploy-4711");
        assertThat(again).as("the retry's run id").isEqualTo(first);

        Topic<AuditEntry> audit = new Topics(Topics.DEFAULT_PREFIX).audit();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(SchedulerFixture.readToEnd(bootstrapServers, audit.name())
                .stream().filter(r -> "retried".equals(r.key()))
                .map(r -> audit.valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .filter(e -> e.getAction() == AuditAction.START).toList())
                .as("both attempts are written, as one action").extracting(AuditEntry::getId)
                .containsExactly("START:" + first, "START:" + first));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("pipeline", "retried").get("/api/audit")
                .then().statusCode(200)
                .body("entries.action", equalTo(List.of("START", "REGISTER")))
                .body("entries[0].id", equalTo("START:" + first)));
    }

    @Test
    void theAuditTopicKeepsItsEntriesForTheConfiguredRetention() throws Exception {
        String audit = new Topics(Topics.DEFAULT_PREFIX).audit().name();
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, audit);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            // Set by the scheduler at start, before the engine is ready: the test broker made the topic with the default week.
            assertThat(admin.describeConfigs(List.of(topic)).all().get(15, TimeUnit.SECONDS).get(topic).get("retention.ms").value())
                    .isEqualTo(String.valueOf(Duration.ofDays(365).toMillis()));
        }
    }

    @Test
    void aWrongSinceIsReportedWithWhatWouldBeRight() {
        given().queryParam("since", "yesterday").get("/api/audit").then().statusCode(400)
                .body("problems[0]", containsString("since: \"yesterday\" is neither an instant"));
    }

    private static String startWithKey(String pipeline, String idempotencyKey) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", idempotencyKey)
                .body(Map.of("parameters", Map.of(), "requestedBy", "alice"))
                .post("/api/pipelines/" + pipeline + "/runs").then().statusCode(202).extract().path("runId");
    }
}
