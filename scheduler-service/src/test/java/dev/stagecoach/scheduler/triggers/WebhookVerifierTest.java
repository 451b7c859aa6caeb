package dev.stagecoach.scheduler.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.pipeline.Trigger;
import dev.stagecoach.scheduler.triggers.WebhookVerifier.Delivery;
import dev.stagecoach.scheduler.triggers.WebhookVerifier.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reasons here go to the operator's log only; the caller of the webhook sees one 401 for all of them. */
class WebhookVerifierTest {

    private static final String SECRET = "s3cret";
    private static final Trigger.Webhook HOOK = new Trigger.Webhook("HOOK", Map.of());
    private static final Trigger.Webhook UNKEYED = new Trigger.Webhook("NOT_CONFIGURED", Map.of());
    private static final byte[] BODY = "{\"release\": {\"tag_name\": \"1.4.2\"}}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    private static final String NOW_SECONDS = Long.toString(NOW.getEpochSecond());

    private final WebhookVerifier verifier = new WebhookVerifier(name -> name.equals("HOOK") ? SECRET : null,
            InstantSource.fixed(NOW), Duration.ofMinutes(5));

    @Test
    void bodySignatureWithADeliveryIdIsThatDelivery() {
        Outcome outcome = verifier.check(List.of(HOOK), new Delivery(BODY, WebhookSignature.sign(BODY, SECRET), null, " abc-1 "));

        assertThat(outcome).isEqualTo(new Outcome.Accepted(HOOK, new WebhookVerifier.Identity(List.of("webhook", "abc-1"), "webhook:abc-1")));
        assertThat(((Outcome.Accepted) outcome).identity().runId("p")).isEqualTo(RunIds.derive("p", "webhook", "abc-1"));
    }

    @Test
    void bodySignatureWithoutADeliveryIdIsUnidentified() {
        assertThat(verifier.check(List.of(HOOK), new Delivery(BODY, WebhookSignature.sign(BODY, SECRET), null, null)))
                .isEqualTo(new Outcome.Unidentified(HOOK));
    }

    @Test
    void timestampedDeliveryIsIdentifiedByItsSignedPartsAlone() {
        String signature = WebhookSignature.sign(NOW_SECONDS, BODY, SECRET);

        Outcome withoutId = verifier.check(List.of(HOOK), new Delivery(BODY, signature, NOW_SECONDS, null));
        Outcome withAnUnsignedId = verifier.check(List.of(HOOK), new Delivery(BODY, signature, NOW_SECONDS, "made-up"));

        assertThat(withoutId).isInstanceOf(Outcome.Accepted.class).isEqualTo(withAnUnsignedId);
        assertThat(((Outcome.Accepted) withoutId).identity().requestedBy()).isEqualTo("webhook:t=" + NOW_SECONDS);
    }

    @Test
    void anotherBodyAtTheSameSecondIsAnotherDelivery() {
        byte[] other = "{\"release\": {\"tag_name\": \"1.4.3\"}}".getBytes(StandardCharsets.UTF_8);
        var first = (Outcome.Accepted) verifier.check(List.of(HOOK), new Delivery(BODY, WebhookSignature.sign(NOW_SECONDS, BODY, SECRET), NOW_SECONDS, null));
        var second = (Outcome.Accepted) verifier.check(List.of(HOOK), new Delivery(other, WebhookSignature.sign(NOW_SECONDS, other, SECRET), NOW_SECONDS, null));

        assertThat(first.identity().runId("p")).isNotEqualTo(second.identity().runId("p"));
    }

    @Test
    void timestampWithinTheToleranceEitherWayIsAccepted() {
        for (long offset : new long[] {-300, 300}) {
            String at = Long.toString(NOW.getEpochSecond() + offset);
            assertThat(verifier.check(List.of(HOOK), new Delivery(BODY, WebhookSignature.sign(at, BODY, SECRET), at, null)))
                    .isInstanceOf(Outcome.Accepted.class);
        }
    }

    @Test
    void timestampOutsideTheToleranceIsRefusedSayingHowFarOff() {
        String old = Long.toString(NOW.getEpochSecond() - 301);
        String ahead = Long.toString(NOW.getEpochSecond() + 3600);

        assertThat(reason(new Delivery(BODY, WebhookSignature.sign(old, BODY, SECRET), old, null)))
                .isEqualTo("timestamp " + old + " (2026-03-02T09:54:59Z) is 301 s off the scheduler's clock, more than the tolerance of 300 s");
        assertThat(reason(new Delivery(BODY, WebhookSignature.sign(ahead, BODY, SECRET), ahead, null)))
                .contains("is 3600 s off the scheduler's clock");
    }

    @Test
    void timestampHeaderMakesTheSignatureCoverIt() {
        assertThat(reason(new Delivery(BODY, WebhookSignature.sign(BODY, SECRET), NOW_SECONDS, "abc-1")))
                .isEqualTo("the signature does not match \"<timestamp>.<body>\"");
        String earlier = Long.toString(NOW.getEpochSecond() - 1);
        assertThat(reason(new Delivery(BODY, WebhookSignature.sign(earlier, BODY, SECRET), NOW_SECONDS, null)))
                .isEqualTo("the signature does not match \"<timestamp>.<body>\"");
    }

    @Test
    void eachRefusalNamesItsReason() {
        String signed = WebhookSignature.sign(BODY, SECRET);
        assertThat(verifier.check(List.of(), new Delivery(BODY, signed, null, "1")))
                .isEqualTo(new Outcome.Refused("the pipeline has no webhook trigger"));
        assertThat(verifier.check(List.of(UNKEYED), new Delivery(BODY, signed, null, "1"))).isEqualTo(new Outcome.Refused(
                "its webhook secret is not configured; set the environment variable STAGECOACH_SECRET_NOT_CONFIGURED on the scheduler"));
        assertThat(reason(new Delivery(BODY, null, null, "1"))).isEqualTo("no signature header");
        assertThat(reason(new Delivery(BODY, "md5=abc", null, "1"))).startsWith("malformed signature");
        assertThat(reason(new Delivery(BODY, signed, "yesterday", "1"))).isEqualTo("malformed timestamp: expected Unix seconds");
        assertThat(reason(new Delivery(BODY, WebhookSignature.sign(BODY, "guess"), null, "1")))
                .startsWith("the signature does not match the body");
    }

    @Test
    void anyTriggerWhoseSecretSignedItIsTheOneThatFires() {
        Trigger.Webhook other = new Trigger.Webhook("OTHER", Map.of("v", "x"));
        var twoSecrets = new WebhookVerifier(name -> Map.of("HOOK", SECRET, "OTHER", "other-secret").get(name),
                InstantSource.fixed(NOW), Duration.ofMinutes(5));

        Outcome outcome = twoSecrets.check(List.of(UNKEYED, HOOK, other),
                new Delivery(BODY, WebhookSignature.sign(BODY, "other-secret"), null, "1"));

        assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
        assertThat(((Outcome.Accepted) outcome).trigger()).isSameAs(other);
    }

    private String reason(Delivery delivery) {
        Outcome outcome = verifier.check(List.of(HOOK), delivery);
        assertThat(outcome).isInstanceOf(Outcome.Refused.class);
        return ((Outcome.Refused) outcome).reason();
    }
}
