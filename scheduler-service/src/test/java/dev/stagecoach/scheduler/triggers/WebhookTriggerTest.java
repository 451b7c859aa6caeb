package dev.stagecoach.scheduler.triggers;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.stagecoach.events.RunEvent;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.scheduler.SchedulerFixture;
import dev.stagecoach.scheduler.api.WebhookResource;
import dev.stagecoach.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/hooks/{pipeline}} against the real engine: signed deliveries start runs, a
 * replayed delivery starts none, and every refusal before the signature is proven looks the same.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = KafkaBrokerResource.TOPICS,
        value = SchedulerFixture.TOPICS))
class WebhookTriggerTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    // The %test profile of the scheduler's application.properties configures this secret.
    private static final String SECRET = "it-is-a-test-secret";
    private static final String RELEASED = "{\"action\": \"published\", \"release\": {\"tag_name\": \"1.4.2\"}}";

    @BeforeEach
    void registerPipelines() {
        SchedulerFixture.awaitEngineReady();
        SchedulerFixture.register("""
                pipeline:
                  name: hook-test
                  triggers:
                    - webhook:
                        secret_ref: TRIGGER_TEST_WEBHOOK
                        params:
                          version: "${{ payload.release.tag_name }}"
                  parameters:
                    version: {type: string, required: true, pattern: '\\d+\\.\\d+\\.\\d+'}
                  stages:
                    - name: build
                      run: make
                """);
    }

    @Test
    void signedDeliveryStartsARunWithParametersFromTheBody() {
        String delivery = UUID.randomUUID().toString();
        String runId = deliver("hook-test", RELEASED, WebhookResource.SIGNATURE, sign(RELEASED), WebhookResource.GITHUB_DELIVERY, delivery)
                .statusCode(202)
                .body("pipeline", equalTo("hook-test"))
                .body("statusUrl", startsWith("/api/runs/"))
                .extract().path("runId");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/runs/" + runId)
                .then().statusCode(200)
                .body("status", equalTo("RUNNING"))
                .body("parameters.version", equalTo("1.4.2"))
                .body("requestedBy", equalTo("webhook:" + delivery))
                .body("stages[0].status", equalTo("DISPATCHED")));
    }

    @Test
    void sameDeliveryIdStartsOneRunAndAnotherIdAnother() {
        String delivery = UUID.randomUUID().toString();
        String first = deliver("hook-test", RELEASED, WebhookResource.GITHUB_SIGNATURE, sign(RELEASED), WebhookResource.GITHUB_DELIVERY, delivery)
                .statusCode(202)
                .extract().path("runId");
        String again = deliver("hook-test", RELEASED, WebhookResource.GITHUB_SIGNATURE, sign(RELEASED), WebhookResource.GITHUB_DELIVERY, delivery)
                .statusCode(202)
                .extract().path("runId");
        String other = deliver("hook-test", RELEASED, WebhookResource.SIGNATURE, sign(RELEASED), WebhookResource.DELIVERY, UUID.randomUUID().toString())
                .statusCode(202).extract().path("runId");

        assertThat(again).isEqualTo(first).isEqualTo(RunIds.derive("hook-test", "webhook", delivery));
        assertThat(other).isNotEqualTo(first);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/runs/" + first).then().statusCode(200));
    }

    @Test
    void deliveryReplayedThreeTimesWithItsIdStartsExactlyOneRun() {
        String delivery = UUID.randomUUID().toString();
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runIds.add(deliver("hook-test", RELEASED, WebhookResource.SIGNATURE, sign(RELEASED), WebhookResource.DELIVERY, delivery)
                    .statusCode(202).extract().path("runId"));
        }

        assertThat(runIds).containsOnly(RunIds.derive("hook-test", "webhook", delivery));
        assertRunStartsOnce(runIds.get(0));
    }

    @Test
    void timestampSignedDeliveryReplayedThreeTimesStartsExactlyOneRun() {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        String signature = signAt(timestamp, RELEASED);
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runIds.add(deliver("hook-test", RELEASED, WebhookResource.SIGNATURE, signature, WebhookResource.TIMESTAMP, timestamp)
                    .statusCode(202).extract().path("runId"));
        }
        // An id header is not signed, so a replay that adds one is still the same delivery.
        runIds.add(deliver("hook-test", RELEASED, WebhookResource.SIGNATURE, signature, WebhookResource.TIMESTAMP, timestamp,
                WebhookResource.DELIVERY, UUID.randomUUID().toString()).statusCode(202).extract().path("runId"));

        assertThat(runIds).hasSize(4).containsOnly(runIds.get(0));
        assertRunStartsOnce(runIds.get(0));
        given().get("/api/runs/" + runIds.get(0)).then().body("requestedBy", equalTo("webhook:t=" + timestamp));
    }

    @Test
    void deliveryWithNeitherIdNorTimestampIsRefusedNamingBoth() {
        deliver("hook-test", RELEASED, WebhookResource.SIGNATURE, sign(RELEASED))
                .statusCode(400)
                .body("error", allOf(containsString(WebhookResource.DELIVERY), containsString(WebhookResource.TIMESTAMP)))
                .body("runId", nullValue());
    }

    @Test
    void timestampOutsideTheToleranceIsRefused() {
        Instant now = Instant.now();
        for (Instant at : List.of(now.minus(Duration.ofMinutes(6)), now.plus(Duration.ofMinutes(6)))) {
            String timestamp = Long.toString(at.getEpochSecond());
            deliver("hook-test", RELEASED, WebhookResource.SIGNATURE, signAt(timestamp, RELEASED), WebhookResource.TIMESTAMP, timestamp)
                    .statusCode(401).body("error", equalTo("unauthorized"));
        }
    }

    @Test
    void everyRefusalBeforeTheSignatureIsProvenIsTheSameAnswer() {
        SchedulerFixture.register("""
                pipeline:
                  name: hookless-test
                  stages: [{name: build, run: make}]
                """);
        SchedulerFixture.register("""
                pipeline:
                  name: unkeyed-hook-test
                  triggers: [{webhook: {secret_ref: TRIGGER_TEST_NOT_CONFIGURED}}]
                  stages: [{name: build, run: make}]
                """);
        String delivery = UUID.randomUUID().toString();
        String now = Long.toString(Instant.now().getEpochSecond());
        String stale = Long.toString(Instant.now().minus(Duration.ofHours(1)).getEpochSecond());
        String guessed = WebhookSignature.sign(RELEASED.getBytes(StandardCharsets.UTF_8), "guess");

        Refusal unknownPipeline = refusal("no-such-pipeline", RELEASED, WebhookResource.SIGNATURE, sign(RELEASED), WebhookResource.DELIVERY, delivery);
        Map<String, Refusal> others = new LinkedHashMap<>();
        others.put("wrong signature", refusal("hook-test", RELEASED, WebhookResource.SIGNATURE, guessed, WebhookResource.DELIVERY, delivery));
        others.put("tampered body", refusal("hook-test", RELEASED.replace("1.4.2", "6.6.6"), WebhookResource.GITHUB_SIGNATURE, sign(RELEASED),
                WebhookResource.GITHUB_DELIVERY, delivery));
        others.put("no signature", refusal("hook-test", RELEASED, WebhookResource.DELIVERY, delivery));
        others.put("malformed signature", refusal("hook-test", RELEASED, WebhookResource.SIGNATURE, "md5=abc", WebhookResource.DELIVERY, delivery));
        others.put("body-only signature with a timestamp", refusal("hook-test", RELEASED, WebhookResource.SIGNATURE, sign(RELEASED),
                WebhookResource.TIMESTAMP, now));
        others.put("stale timestamp", refusal("hook-test", RELEASED, WebhookResource.SIGNATURE, signAt(stale, RELEASED),
                WebhookResource.TIMESTAMP, stale));
        others.put("no webhook trigger", refusal("hookless-test", RELEASED, WebhookResource.SIGNATURE, sign(RELEASED), WebhookResource.DELIVERY, delivery));
        others.put("secret not configured", refusal("unkeyed-hook-test", RELEASED, WebhookResource.SIGNATURE, sign(RELEASED),
                WebhookResource.DELIVERY, delivery));

        assertThat(unknownPipeline.status()).isEqualTo(401);
        assertThat(JsonPath.from(new String(unknownPipeline.body(), StandardCharsets.UTF_8)).getMap(""))
                .isEqualTo(Map.of("error", "unauthorized", "problems", List.of()));
        others.forEach((what, refusal) -> assertThat(refusal).as(what).isEqualTo(unknownPipeline));
    }

    @Test
    void signedBodyThatIsNotJsonIsABadRequest() {
        String notJson = "release=1.4.2";
        deliver("hook-test", notJson, WebhookResource.SIGNATURE, sign(notJson), WebhookResource.DELIVERY, UUID.randomUUID().toString())
                .statusCode(400).body("error", startsWith("the body is not JSON: "));
    }

    @Test
    void parametersFromTheBodyThatDoNotFitAreAllListed() {
        String badTag = "{\"release\": {\"tag_name\": \"v1\"}}";
        deliver("hook-test", badTag, WebhookResource.SIGNATURE, sign(badTag), WebhookResource.DELIVERY, UUID.randomUUID().toString())
                .statusCode(400)
                .body("error", equalTo("the parameters taken from the body do not fit pipeline \"hook-test\""))
                .body("problems", contains("parameter \"version\": \"v1\" does not match the pattern \\d+\\.\\d+\\.\\d+"));
        String noTag = "{\"action\": \"deleted\"}";
        String now = Long.toString(Instant.now().getEpochSecond());
        deliver("hook-test", noTag, WebhookResource.SIGNATURE, signAt(now, noTag), WebhookResource.TIMESTAMP, now)
                .statusCode(400)
                .body("problems", contains("parameter \"version\": the body has no payload.release.tag_name",
                        "parameter \"version\": required, but no value was given"));
    }

    /** Status, content type and body, byte for byte. */
    private record Refusal(int status, String contentType, byte[] body) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Refusal that && status == that.status && contentType.equals(that.contentType)
                    && Arrays.equals(body, that.body);
        }

        @Override
        public int hashCode() {
            return Objects.hash(status, contentType, Arrays.hashCode(body));
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + new String(body, StandardCharsets.UTF_8);
        }
    }

    private static Refusal refusal(String pipeline, String body, String... headers) {
        var response = deliver(pipeline, body, headers).extract();
        return new Refusal(response.statusCode(), response.contentType(), response.asByteArray());
    }

    /** The run was started once: one RUN_STARTED event, and still one a while later, when any replays have been read. */
    private void assertRunStartsOnce(String runId) {
        Callable<Long> started = () -> runEvents().stream()
                .filter(e -> e.getRunId().equals(runId) && e.getType().equals("RUN_STARTED")).count();
        await().atMost(Duration.ofSeconds(30)).until(started, count -> count >= 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30)).until(started, count -> count == 1);
    }

    private List<RunEvent> runEvents() {
        Topic<RunEvent> events = new Topics(Topics.DEFAULT_PREFIX).runEvents();
        return SchedulerFixture.readToEnd(bootstrap, events.name()).stream()
                .map(r -> events.valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
    }

    private static String sign(String body) {
        return WebhookSignature.sign(body.getBytes(StandardCharsets.UTF_8), SECRET);
    }

    private static String signAt(String timestamp, String body) {
        return WebhookSignature.sign(timestamp, body.getBytes(StandardCharsets.UTF_8), SECRET);
    }

    /** @param headers header names and values, alternately */
    private static ValidatableResponse deliver(String pipeline, String body, String... headers) {
        var request = given().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            request = request.header(headers[i], headers[i + 1]);
        }
        return request.post("/api/hooks/" + pipeline).then();
    }
}
