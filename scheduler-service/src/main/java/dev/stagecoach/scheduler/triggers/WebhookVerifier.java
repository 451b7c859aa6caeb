package dev.stagecoach.scheduler.triggers;

import dev.stagecoach.pipeline.Trigger;
import dev.stagecoach.scheduler.DeploymentSecrets;
import dev.stagecoach.scheduler.SecretSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides whether a webhook delivery comes from someone who knows the secret, and which
 * delivery it is, so that the same delivery sent again starts the same run.
 *
 * <p>A delivery is identified in one of two ways. With {@code X-Stagecoach-Timestamp} the
 * signature must cover {@code "<timestamp>.<body>"}, the timestamp must lie within the
 * tolerance of this clock, and the identity is the timestamp and the body's SHA-256: only
 * signed bytes, so that a replay with other unsigned headers is still the same delivery, and
 * after the tolerance it is refused outright. Without a timestamp the signature covers the body
 * alone (GitHub's way), and the sender's delivery id identifies it; a body-only signature
 * without a delivery id is {@link Outcome.Unidentified}, since a replay of it would start a run
 * each time.
 *
 * <p>The reasons of a refusal are for the operator's log: the caller is told none of them, so
 * that pipeline names and secrets cannot be probed.
 */
public final class WebhookVerifier {

    private static final Pattern UNIX_SECONDS = Pattern.compile("\\d{1,12}");

    /** What a request brings; the headers are null when absent. */
    public record Delivery(byte[] body, String signature, String timestamp, String deliveryId) {
    }

    /** Which delivery this is: the parts its run id derives from, and the run's {@code requestedBy}. */
    public record Identity(List<String> cause, String requestedBy) {

        public String runId(String pipeline) {
            return RunIds.derive(pipeline, cause.toArray(String[]::new));
        }
    }

    public sealed interface Outcome {

        record Accepted(Trigger.Webhook trigger, Identity identity) implements Outcome {
        }

        /** Signed by someone with the secret, but with nothing that tells one delivery of it from the next. */
        record Unidentified(Trigger.Webhook trigger) implements Outcome {
        }

        record Refused(String reason) implements Outcome {
        }
    }

    /** A webhook trigger whose secret this scheduler has. */
    private record Keyed(Trigger.Webhook trigger, String secret) {
    }

    private final SecretSource secrets;
    private final InstantSource clock;
    private final Duration tolerance;

    public WebhookVerifier(SecretSource secrets, InstantSource clock, Duration tolerance) {
        this.secrets = secrets;
        this.clock = clock;
        this.tolerance = tolerance;
    }

    /** @param webhooks the webhook triggers of the pipeline the delivery is for, maybe none */
    public Outcome check(List<Trigger.Webhook> webhooks, Delivery delivery) {
        if (webhooks.isEmpty()) {
            return new Outcome.Refused("the pipeline has no webhook trigger");
        }
        List<Keyed> keyed = new ArrayList<>();
        for (Trigger.Webhook webhook : webhooks) {
            String secret = secrets.value(webhook.secretRef());
            if (secret != null && !secret.isEmpty()) {
                keyed.add(new Keyed(webhook, secret));
            }
        }
        if (keyed.isEmpty()) {
            String variables = String.join(" or ", webhooks.stream().map(w -> DeploymentSecrets.variable(w.secretRef())).distinct().toList());
            return new Outcome.Refused("its webhook secret is not configured; set the environment variable " + variables + " on the scheduler");
        }
        if (blank(delivery.signature())) {
            return new Outcome.Refused("no signature header");
        }
        if (!WebhookSignature.wellFormed(delivery.signature())) {
            return new Outcome.Refused("malformed signature: expected " + WebhookSignature.PREFIX + " and 64 hex digits");
        }
        String timestamp = blank(delivery.timestamp()) ? null : delivery.timestamp().trim();
        if (timestamp != null && !UNIX_SECONDS.matcher(timestamp).matches()) {
            return new Outcome.Refused("malformed timestamp: expected Unix seconds");
        }
        Keyed signer = signer(keyed, delivery, timestamp);
        if (signer == null) {
            return new Outcome.Refused(timestamp == null
                    ? "the signature does not match the body (no timestamp header, so the body alone was checked)"
                    : "the signature does not match \"<timestamp>.<body>\"");
        }
        if (timestamp != null) {
            return fresh(signer, timestamp, delivery.body());
        }
        if (!blank(delivery.deliveryId())) {
            String id = delivery.deliveryId().trim();
            return new Outcome.Accepted(signer.trigger(), new Identity(List.of("webhook", id), "webhook:" + id));
        }
        return new Outcome.Unidentified(signer.trigger());
    }

    private static Keyed signer(List<Keyed> keyed, Delivery delivery, String timestamp) {
        for (Keyed candidate : keyed) {
            WebhookSignature.Verdict verdict = timestamp == null
                    ? WebhookSignature.verify(delivery.signature(), delivery.body(), candidate.secret())
                    : WebhookSignature.verify(delivery.signature(), timestamp, delivery.body(), candidate.secret());
            if (verdict == WebhookSignature.Verdict.VALID) {
                return candidate;
            }
        }
        return null;
    }

    private Outcome fresh(Keyed signer, String timestamp, byte[] body) {
        Instant sent = Instant.ofEpochSecond(Long.parseLong(timestamp));
        Duration off = Duration.between(clock.instant(), sent).abs();
        if (off.compareTo(tolerance) > 0) {
            return new Outcome.Refused("timestamp " + timestamp + " (" + sent + ") is " + off.toSeconds()
                    + " s off the scheduler's clock, more than the tolerance of " + tolerance.toSeconds() + " s");
        }
        // The canonical number, so that "0123" and "123" (the same instant, the same body) are one delivery.
        String seconds = Long.toString(sent.getEpochSecond());
        return new Outcome.Accepted(signer.trigger(),
                new Identity(List.of("webhook", "t=" + seconds, sha256(body)), "webhook:t=" + seconds));
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static boolean blank(String header) {
        return header == null || header.isBlank();
    }
}
