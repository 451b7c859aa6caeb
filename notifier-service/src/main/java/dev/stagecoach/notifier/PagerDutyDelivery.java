package dev.stagecoach.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stagecoach.events.Channel;
import dev.stagecoach.events.Notification;
import dev.stagecoach.pipeline.NotificationTargets;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Sends Events API v2 events to PagerDuty. A failure triggers an incident whose
 * {@code dedup_key} is the pipeline's, so failures of one pipeline gather in one incident, and
 * the pipeline's next success resolves it; other events trigger an alert of their own run. The
 * target is the severity, optionally with the secret that holds the service's routing key.
 * 202 is accepted; 429 and 5xx are retried; 400 is final, with PagerDuty's own reason.
 */
public final class PagerDutyDelivery implements ChannelDelivery {

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI eventsUrl;
    private final Optional<String> routingKey;
    private final DeploymentSecrets secrets;
    private final NotificationTemplates templates;
    private final Function<Notification, NotificationView> views;
    private final RetryingAttempts attempts;
    private final Duration requestTimeout;

    public PagerDutyDelivery(HttpClient http, ObjectMapper json, String eventsUrl, Optional<String> routingKey,
                             DeploymentSecrets secrets, NotificationTemplates templates,
                             Function<Notification, NotificationView> views, RetryingAttempts attempts, Duration requestTimeout) {
        this.http = http;
        this.json = json;
        this.eventsUrl = URI.create(eventsUrl);
        this.routingKey = routingKey.filter(k -> !k.isBlank());
        this.secrets = secrets;
        this.templates = templates;
        this.views = views;
        this.attempts = attempts;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public Optional<String> missingSetting() {
        return routingKey.isPresent() ? Optional.empty()
                : Optional.of("stagecoach.notifier.pagerduty.routing-key (STAGECOACH_NOTIFIER_PAGERDUTY_ROUTING_KEY)");
    }

    /** Failures of one pipeline are one incident, which its next success resolves. */
    static String dedupKey(Notification notification) {
        return switch (notification.getEvent()) {
            case "on_failure", "on_success" -> "stagecoach/" + notification.getPipeline();
            default -> "stagecoach/" + notification.getPipeline() + "/" + notification.getRunId() + "/" + notification.getEvent();
        };
    }

    @Override
    public CompletionStage<DeliveryOutcome> deliver(Notification notification) {
        Optional<NotificationTargets.PagerDutyTarget> target = NotificationTargets.pagerDuty(notification.getTarget());
        if (target.isEmpty()) {
            return givenUp("pagerduty target \"" + notification.getTarget() + "\" is not a severity (one of "
                    + String.join(", ", NotificationTargets.SEVERITIES) + "): fix the notify target of pipeline " + notification.getPipeline());
        }
        Optional<String> secret = target.get().routingKeySecret();
        Optional<String> key = secret.isPresent() ? secrets.value(secret.get()) : routingKey;
        if (key.isEmpty()) {
            return givenUp(secret.isPresent()
                    ? "the secret " + secret.get() + " that the PagerDuty target names is not set in notifier-service: set "
                            + DeploymentSecrets.variable(secret.get()) + " to the service's integration key"
                    : "pagerduty is not configured in notifier-service: set " + missingSetting().orElseThrow()
                            + ", or name the secret that holds the routing key in the target");
        }
        String body = event(notification, target.get().severity(), key.get()).toString();
        HttpRequest request = HttpRequest.newBuilder(eventsUrl)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return attempts.run(Channel.PAGERDUTY, notification.getDedupeId(), "pagerduty " + action(notification)
                        + " of " + dedupKey(notification),
                () -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .handle((response, error) -> error != null ? AttemptAnswer.ofError(error, requestTimeout) : answer(response)));
    }

    private static String action(Notification notification) {
        return "on_success".equals(notification.getEvent()) ? "resolve" : "trigger";
    }

    ObjectNode event(Notification notification, String severity, String key) {
        NotificationView view = views.apply(notification);
        ObjectNode event = json.createObjectNode()
                .put("routing_key", key)
                .put("event_action", action(notification))
                .put("dedup_key", dedupKey(notification));
        if ("trigger".equals(action(notification))) {
            String summary = templates.render("pagerduty", notification.getEvent(), "txt", view);
            ObjectNode payload = event.putObject("payload")
                    // PagerDuty refuses a summary longer than 1024 characters.
                    .put("summary", summary.length() > 1024 ? summary.substring(0, 1021) + "..." : summary)
                    .put("source", "stagecoach/" + notification.getPipeline())
                    .put("severity", severity)
                    .put("timestamp", DateTimeFormatter.ISO_INSTANT.format(notification.getCreatedAt()))
                    .put("component", notification.getPipeline())
                    .put("group", "stagecoach")
                    .put("class", notification.getEvent());
            ObjectNode details = payload.putObject("custom_details")
                    .put("run_id", notification.getRunId())
                    .put("status", notification.getRunStatus())
                    .put("started_by", view.startedBy())
                    .put("reason", notification.getReason());
            if (view.failedStage() != null) {
                details.put("failed_stage", view.failedStage().name());
                if (view.failedStage().exitCode() != null) {
                    details.put("exit_code", view.failedStage().exitCode());
                }
                details.put("last_output", view.failedStage().output());
            }
            ArrayNode links = event.putArray("links");
            links.addObject().put("href", view.runUrl()).put("text", "Run " + notification.getRunId());
            links.addObject().put("href", view.reportUrl()).put("text", "Report");
        }
        return event;
    }

    private AttemptAnswer answer(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 202 || status >= 200 && status < 300) {
            return AttemptAnswer.success();
        }
        if (status == 429 || status >= 500) {
            return AttemptAnswer.retryable("answered " + status, AttemptAnswer.retryAfter(response));
        }
        return AttemptAnswer.permanent("answered " + status + reason(response.body()));
    }

    /** PagerDuty says what was wrong in {@code message} and {@code errors}. */
    private String reason(String body) {
        try {
            JsonNode answer = json.readTree(body);
            if (answer == null || !answer.isObject()) {
                return "";
            }
            StringBuilder reason = new StringBuilder();
            if (answer.hasNonNull("message")) {
                reason.append(": ").append(answer.get("message").asText());
            }
            for (JsonNode error : answer.path("errors")) {
                reason.append(reason.isEmpty() ? ": " : "; ").append(error.asText());
            }
            return reason.toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static CompletionStage<DeliveryOutcome> givenUp(String reason) {
        return CompletableFuture.completedFuture(new DeliveryOutcome.GivenUp(reason));
    }
}
