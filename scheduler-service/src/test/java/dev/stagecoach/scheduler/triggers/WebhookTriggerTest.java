package dev.stagecoach.scheduler.triggers;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.stagecoach.scheduler.SchedulerFixture;
import dev.stagecoach.scheduler.api.WebhookResource;
import dev.stagecoach.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api/hooks/{pipeline}} against the real engine: signed deliveries start runs, anything else says why not. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = KafkaBrokerResource.TOPICS,
        value = SchedulerFixture.TOPICS))
class WebhookTriggerTest {

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
        String runId = post("hook-test", RELEASED, WebhookResource.SIGNATURE, sign(RELEASED), delivery)
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
        String first = post("hook-test", RELEASED, WebhookResource.GITHUB_SIGNATURE, sign(RELEASED), delivery).statusCode(202)
                .extract().path("runId");
        String again = post("hook-test", RELEASED, WebhookResource.GITHUB_SIGNATURE, sign(RELEASED), delivery).statusCode(202)
                .extract().path("runId");
        String other = post("hook-test", RELEASED, WebhookResource.SIGNATURE, sign(RELEASED), UUID.randomUUID().toString())
                .statusCode(202).extract().path("runId");

        assertThat(again).isEqualTo(first).isEqualTo(RunIds.derive("hook-test", "webhook", delivery));
        assertThat(other).isNotEqualTo(first);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/runs/" + first).then().statusCode(200));
    }

    @Test
    void wrongSignatureIsRefusedWithoutTellingTheRightOne() {
        String wrong = WebhookSignature.sign(RELEASED.getBytes(StandardCharsets.UTF_8), "guess");
        post("hook-test", RELEASED, WebhookResource.SIGNATURE, wrong, null)
                .statusCode(401)
                .body("error", startsWith("the signature does not match the body"))
                .body(not(containsString(sign(RELEASED).substring("sha256=".length()))));
        String tampered = RELEASED.replace("1.4.2", "6.6.6");
        post("hook-test", tampered, WebhookResource.SIGNATURE, sign(RELEASED), null).statusCode(401);
    }

    @Test
    void missingOrMalformedSignatureIsRefused() {
        post("hook-test", RELEASED, null, null, null)
                .statusCode(401).body("error", startsWith("missing signature: send the header X-Stagecoach-Signature"));
        post("hook-test", RELEASED, WebhookResource.SIGNATURE, "md5=abc", null)
                .statusCode(401).body("error", startsWith("malformed signature"));
    }

    @Test
    void unknownPipelineOrOneWithoutWebhookIsNotFound() {
        post("no-such-pipeline", RELEASED, WebhookResource.SIGNATURE, sign(RELEASED), null)
                .statusCode(404).body("error", equalTo("no pipeline named \"no-such-pipeline\" is registered"));
        SchedulerFixture.register("""
                pipeline:
                  name: hookless-test
                  stages: [{name: build, run: make}]
                """);
        post("hookless-test", RELEASED, WebhookResource.SIGNATURE, sign(RELEASED), null)
                .statusCode(404).body("error", startsWith("pipeline \"hookless-test\" has no webhook trigger"));
    }

    @Test
    void secretMissingOnTheSchedulerSaysWhichVariableToSet() {
        SchedulerFixture.register("""
                pipeline:
                  name: unkeyed-hook-test
                  triggers: [{webhook: {secret_ref: TRIGGER_TEST_NOT_CONFIGURED}}]
                  stages: [{name: build, run: make}]
                """);
        post("unkeyed-hook-test", RELEASED, WebhookResource.SIGNATURE, sign(RELEASED), null)
                .statusCode(503).body("error", containsString("set the environment variable STAGECOACH_SECRET_TRIGGER_TEST_NOT_CONFIGURED"));
    }

    @Test
    void signedBodyThatIsNotJsonIsABadRequest() {
        String notJson = "release=1.4.2";
        post("hook-test", notJson, WebhookResource.SIGNATURE, sign(notJson), null)
                .statusCode(400).body("error", startsWith("the body is not JSON: "));
    }

    @Test
    void parametersFromTheBodyThatDoNotFitAreAllListed() {
        String badTag = "{\"release\": {\"tag_name\": \"v1\"}}";
        post("hook-test", badTag, WebhookResource.SIGNATURE, sign(badTag), null)
                .statusCode(400)
                .body("error", equalTo("the parameters taken from the body do not fit pipeline \"hook-test\""))
                .body("problems", contains("parameter \"version\": \"v1\" does not match the pattern \\d+\\.\\d+\\.\\d+"));
        String noTag = "{\"action\": \"deleted\"}";
        post("hook-test", noTag, WebhookResource.SIGNATURE, sign(noTag), null)
                .statusCode(400)
                .body("problems", contains("parameter \"version\": the body has no payload.release.tag_name",
                        "parameter \"version\": required, but no value was given"));
    }

    private static String sign(String body) {
        return WebhookSignature.sign(body.getBytes(StandardCharsets.UTF_8), SECRET);
    }

    private static ValidatableResponse post(String pipeline, String body, String signatureHeader, String signature, String delivery) {
        var request = given().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8));
        if (signatureHeader != null) {
            request = request.header(signatureHeader, signature);
        }
        if (delivery != null) {
            request = request.header(WebhookResource.GITHUB_DELIVERY, delivery);
        }
        return request.post("/api/hooks/" + pipeline).then();
    }
}
