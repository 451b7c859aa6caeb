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
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Posts a notification to Slack with Block Kit blocks: to a channel through the Web API's
 * {@code chat.postMessage} with the bot token, or to the incoming-webhook URL a secret holds
 * when the target names one. Slack answers {@code ok: false} with its reason, which is final
 * but for {@code ratelimited}; HTTP 429 waits for {@code Retry-After}, 5xx is retried.
 * Slack has no idempotency key: each Web API message carries its dedupe id in Slack's message
 * metadata instead, and a delivery that a killed notifier began is looked up in the channel's
 * history ({@link SlackHistory}) before it is posted again. An incoming webhook cannot be asked,
 * so its copy is posted again.
 */
public final class SlackDelivery implements ChannelDelivery {

    private static final Logger LOG = Logger.getLogger(SlackDelivery.class);

    private final HttpClient http;
    private final ObjectMapper json;
    private final Optional<String> token;
    private final URI postMessage;
    private final DeploymentSecrets secrets;
    private final NotificationTemplates templates;
    private final Function<Notification, NotificationView> views;
    private final RetryingAttempts attempts;
    private final Duration requestTimeout;
    private final Optional<SlackHistory> history;

    public SlackDelivery(HttpClient http, ObjectMapper json, Optional<String> token, String apiUrl, DeploymentSecrets secrets,
                         NotificationTemplates templates, Function<Notification, NotificationView> views,
                         RetryingAttempts attempts, Duration requestTimeout) {
        this.http = http;
        this.json = json;
        this.token = token.filter(t -> !t.isBlank());
        this.postMessage = URI.create((apiUrl.endsWith("/") ? apiUrl : apiUrl + "/") + "chat.postMessage");
        this.secrets = secrets;
        this.templates = templates;
        this.views = views;
        this.attempts = attempts;
        this.requestTimeout = requestTimeout;
        this.history = this.token.map(bot -> new SlackHistory(http, json, apiUrl, bot, requestTimeout));
    }

    @Override
    public Optional<String> missingSetting() {
        return token.isPresent() ? Optional.empty() : Optional.of("stagecoach.notifier.slack.token (STAGECOACH_NOTIFIER_SLACK_TOKEN),"
                + " a bot token with the chat:write scope");
    }

    @Override
    public CompletionStage<DeliveryOutcome> deliver(Notification notification) {
        String target = notification.getTarget();
        Optional<String> secret = NotificationTargets.secretName(target);
        if (secret.isPresent()) {
            Optional<String> url = secrets.value(secret.get());
            if (url.isEmpty()) {
                return givenUp("the secret " + secret.get() + " that Slack target " + target + " names is not set in"
                        + " notifier-service: set " + DeploymentSecrets.variable(secret.get()) + " to the incoming-webhook URL");
            }
            return send(notification, "slack incoming webhook " + secret.get(), request(URI.create(url.get()), null,
                    message(notification, null)), false);
        }
        if (token.isEmpty()) {
            return givenUp("slack is not configured in notifier-service: set " + missingSetting().orElseThrow()
                    + ", or name a secret holding an incoming-webhook URL as the target");
        }
        return send(notification, "slack " + target, request(postMessage, token.get(), message(notification, target)), true);
    }

    /** A channel's history says whether the earlier post arrived; when it cannot say, the message is posted again. */
    @Override
    public CompletionStage<DeliveryOutcome> deliverAgain(Notification notification, Instant begun) {
        String target = notification.getTarget();
        if (history.isEmpty() || NotificationTargets.secretName(target).isPresent()) {
            return deliver(notification);
        }
        return history.get().find(target, notification.getDedupeId(), begun).handle((found, error) -> {
            if (error != null) {
                LOG.warnf("cannot tell whether Slack has a notification a stopped notifier began, so it is posted again"
                        + " dedupeId=%s target=%s reason=\"%s\"", notification.getDedupeId(), target,
                        AttemptAnswer.describe(Failures.cause(error)));
                return Optional.<String>empty();
            }
            return found;
        }).thenCompose(found -> found.isPresent()
                ? CompletableFuture.completedFuture(new DeliveryOutcome.FoundDelivered("slack " + target + " message " + found.get()))
                : deliver(notification));
    }

    private CompletionStage<DeliveryOutcome> send(Notification notification, String receiver, HttpRequest request, boolean webApi) {
        return attempts.run(Channel.SLACK, notification.getDedupeId(), receiver,
                () -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .handle((response, error) -> error != null ? AttemptAnswer.ofError(error, requestTimeout)
                                : webApi ? webApiAnswer(response) : webhookAnswer(response)));
    }

    private HttpRequest request(URI uri, String bearer, ObjectNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return request.build();
    }

    /** @param channel null for an incoming webhook, which posts to the channel it was made for */
    ObjectNode message(Notification notification, String channel) {
        NotificationView view = views.apply(notification);
        String text = templates.render("slack", notification.getEvent(), "md", view);
        ObjectNode message = json.createObjectNode();
        if (channel != null) {
            message.put("channel", channel);
            // How a notifier restarted after a kill finds this message in the channel's history.
            ObjectNode metadata = message.putObject("metadata").put("event_type", SlackHistory.EVENT_TYPE);
            metadata.putObject("event_payload").put("dedupe_id", notification.getDedupeId()).put("run_id", notification.getRunId());
        }
        // The notification's fallback text: shown in push notifications and where blocks are not.
        message.put("text", notification.getSubject());
        ArrayNode blocks = message.putArray("blocks");
        ObjectNode section = blocks.addObject().put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", text);
        ObjectNode actions = blocks.addObject().put("type", "actions");
        ArrayNode buttons = actions.putArray("elements");
        button(buttons, "Run", view.runUrl(), "run");
        button(buttons, "Report", view.reportUrl(), "report");
        if (view.approvalStage() != null) {
            button(buttons, "Approve in the dashboard", view.dashboardUrl(), "approve");
        }
        blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", "stagecoach · " + view.pipeline() + " · " + view.level());
        return message;
    }

    private static void button(ArrayNode buttons, String label, String url, String actionId) {
        ObjectNode button = buttons.addObject().put("type", "button").put("url", url).put("action_id", actionId);
        button.putObject("text").put("type", "plain_text").put("text", label);
    }

    private AttemptAnswer webApiAnswer(HttpResponse<String> response) {
        if (response.statusCode() == 429) {
            return AttemptAnswer.retryable("answered 429 (rate limited)", AttemptAnswer.retryAfter(response));
        }
        if (response.statusCode() >= 500) {
            return AttemptAnswer.retryable("answered " + response.statusCode(), AttemptAnswer.retryAfter(response));
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (IOException e) {
            return AttemptAnswer.permanent("answered " + response.statusCode() + " with a body that is not Slack's JSON");
        }
        if (answer != null && answer.path("ok").asBoolean(false)) {
            return AttemptAnswer.success();
        }
        String error = answer == null ? "" : answer.path("error").asText("");
        if ("ratelimited".equals(error)) {
            return AttemptAnswer.retryable("answered error ratelimited", AttemptAnswer.retryAfter(response));
        }
        return AttemptAnswer.permanent("answered error " + (error.isEmpty() ? "(none given), HTTP " + response.statusCode() : error)
                + hint(error));
    }

    /** An incoming webhook answers plain text: {@code ok}, or the reason. */
    private static AttemptAnswer webhookAnswer(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return AttemptAnswer.success();
        }
        if (status == 429 || status >= 500) {
            return AttemptAnswer.retryable("answered " + status, AttemptAnswer.retryAfter(response));
        }
        return AttemptAnswer.permanent("answered " + status + " " + response.body().strip() + hint(response.body().strip()));
    }

    private static String hint(String error) {
        return switch (error) {
            case "not_in_channel" -> ": invite the bot to the channel";
            case "channel_not_found" -> ": check the channel name, and that the bot can see it";
            case "invalid_auth", "not_authed", "token_revoked", "account_inactive" -> ": check stagecoach.notifier.slack.token";
            case "missing_scope" -> ": give the bot the chat:write scope";
            case "no_service", "invalid_token" -> ": the incoming webhook was removed; make a new one";
            default -> "";
        };
    }

    private static CompletionStage<DeliveryOutcome> givenUp(String reason) {
        return CompletableFuture.completedFuture(new DeliveryOutcome.GivenUp(reason));
    }
}
