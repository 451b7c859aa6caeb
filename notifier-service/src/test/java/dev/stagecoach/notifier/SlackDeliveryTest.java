package dev.stagecoach.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagecoach.events.Channel;
import dev.stagecoach.events.Notification;
import dev.stagecoach.testkit.receivers.FakeSlack;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Slack delivery against a real local HTTP server that checks and answers as Slack does. */
class SlackDeliveryTest {

    private final FakeSlack slack = new FakeSlack(Map.of("alerts", "C0ALERTS01", "deployments", "C0123ABCD9"));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        slack.close();
        scheduler.shutdownNow();
    }

    @Test
    void aChannelGetsChatPostMessageWithTheBotTokenAndBlockKitBlocks() {
        Notification failure = SampleNotifications.failure(Channel.SLACK, "#deployments");

        DeliveryOutcome outcome = await(delivery(Optional.of(FakeSlack.TOKEN), Map.of()).deliver(failure));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(1));
        FakeSlack.Request request = slack.accepted().get(0);
        assertThat(request.path()).isEqualTo("/api/chat.postMessage");
        assertThat(request.authorization()).isEqualTo("Bearer " + FakeSlack.TOKEN);
        JsonNode body = request.body();
        assertThat(body.path("channel").asText()).isEqualTo("#deployments");
        assertThat(body.path("text").asText()).isEqualTo(failure.getSubject());
        assertThat(body.path("metadata").path("event_type").asText()).isEqualTo("stagecoach_notification");
        assertThat(body.path("metadata").path("event_payload").path("dedupe_id").asText()).isEqualTo(failure.getDedupeId());
        JsonNode blocks = body.path("blocks");
        assertThat(blocks).extracting(b -> b.path("type").asText()).containsExactly("section", "actions", "context");
        assertThat(blocks.get(0).path("text").path("text").asText())
                .contains("*data-release*", "Failed stage `processing` (exit code 3)", "checksum mismatch in part-0007 &lt;bad&gt;");
        assertThat(blocks.get(1).path("elements")).extracting(b -> b.path("url").asText()).containsExactly(
                "https://stagecoach.example.com/api/runs/" + failure.getRunId(),
                "https://stagecoach.example.com/api/runs/" + failure.getRunId() + "/report");
    }

    @Test
    void aPostAKilledNotifierMadeIsFoundInTheChannelsHistoryAndNotPostedAgain() {
        Notification failure = SampleNotifications.failure(Channel.SLACK, "#deployments");
        Instant begun = Instant.now();
        await(delivery(Optional.of(FakeSlack.TOKEN), Map.of()).deliver(SampleNotifications.start(Channel.SLACK, "#deployments")));
        await(delivery(Optional.of(FakeSlack.TOKEN), Map.of()).deliver(failure));
        String ts = slack.history().get(1).ts();

        // A new process: it knows neither the channel's id nor the message.
        DeliveryOutcome resumed = await(delivery(Optional.of(FakeSlack.TOKEN), Map.of()).deliverAgain(failure, begun));

        assertThat(resumed).isEqualTo(new DeliveryOutcome.FoundDelivered("slack #deployments message " + ts));
        assertThat(slack.history()).hasSize(2);
        // Without groups:read, private channels are not listed: the public ones are, a page at a time.
        assertThat(slack.requests()).filteredOn(r -> !r.path().endsWith("chat.postMessage"))
                .extracting(FakeSlack.Request::path, FakeSlack.Request::error).containsExactly(
                        tuple("/api/conversations.list", "missing_scope"),
                        tuple("/api/conversations.list", null),
                        tuple("/api/conversations.list", null),
                        tuple("/api/conversations.history", null));
    }

    @Test
    void aPostThatNeverArrivedIsPostedOnceWhenResumed() {
        Notification start = SampleNotifications.start(Channel.SLACK, "C0123ABCD9");
        await(delivery(Optional.of(FakeSlack.TOKEN), Map.of()).deliver(SampleNotifications.start(Channel.SLACK, "C0123ABCD9")));

        DeliveryOutcome resumed = await(delivery(Optional.of(FakeSlack.TOKEN), Map.of()).deliverAgain(start, Instant.now()));

        assertThat(resumed).isEqualTo(new DeliveryOutcome.Delivered(1));
        assertThat(slack.history()).extracting(p -> p.body().path("metadata").path("event_payload").path("dedupe_id").asText())
                .filteredOn(start.getDedupeId()::equals).hasSize(1);
        // A channel id is looked up as it is.
        assertThat(slack.requests()).extracting(FakeSlack.Request::path).doesNotContain("/api/conversations.list");
    }

    @Test
    void withoutTheScopesToReadHistoryAResumedMessageIsPostedAgain() {
        slack.grant("chat:write");
        Notification success = SampleNotifications.success(Channel.SLACK, "#deployments", List.of());
        await(delivery(Optional.of(FakeSlack.TOKEN), Map.of()).deliver(success));

        DeliveryOutcome resumed = await(delivery(Optional.of(FakeSlack.TOKEN), Map.of()).deliverAgain(success, Instant.now()));

        assertThat(resumed).isEqualTo(new DeliveryOutcome.Delivered(1));
        assertThat(slack.history()).hasSize(2);
        assertThat(slack.requests()).extracting(FakeSlack.Request::error).contains("missing_scope");
    }

    @Test
    void slacksOwnRefusalIsFinalAndItsReasonEndsInTheDeadLetter() {
        DeliveryOutcome outcome = await(delivery(Optional.of(FakeSlack.TOKEN), Map.of())
                .deliver(SampleNotifications.start(Channel.SLACK, "#no-such-channel")));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.GivenUp("slack #no-such-channel answered error channel_not_found:"
                + " check the channel name, and that the bot can see it"));
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void aWrongTokenIsFinalWithSlacksReason() {
        DeliveryOutcome outcome = await(delivery(Optional.of("xoxb-revoked"), Map.of())
                .deliver(SampleNotifications.start(Channel.SLACK, "#deployments")));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.GivenUp(
                "slack #deployments answered error invalid_auth: check stagecoach.notifier.slack.token"));
    }

    @Test
    void rateLimitedIsRetriedNoSoonerThanRetryAfter() {
        slack.rateLimit(1, 1);

        DeliveryOutcome outcome = await(delivery(Optional.of(FakeSlack.TOKEN), Map.of())
                .deliver(SampleNotifications.success(Channel.SLACK, "C0123ABCD9", List.of())));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(2));
        List<FakeSlack.Request> requests = slack.requests();
        assertThat(requests).extracting(FakeSlack.Request::error).containsExactly("ratelimited", null);
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(990));
        assertThat(registry.counter(DeliveryMetrics.RETRIES, "channel", "slack").count()).isEqualTo(1.0);
    }

    @Test
    void rateLimitedBeyondTheLastAttemptIsGivenUpWithTheReason() {
        slack.rateLimit(10, 0);

        DeliveryOutcome outcome = await(delivery(Optional.of(FakeSlack.TOKEN), Map.of())
                .deliver(SampleNotifications.start(Channel.SLACK, "#deployments")));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.GivenUp("slack #deployments answered 429 (rate limited) after 3 attempts"));
    }

    @Test
    void aTargetNamingASecretPostsToTheIncomingWebhookItHoldsWithoutTheToken() {
        Notification start = SampleNotifications.start(Channel.SLACK, "${{ secrets.DEPLOYS_SLACK_WEBHOOK }}");

        DeliveryOutcome outcome = await(delivery(Optional.empty(), Map.of("DEPLOYS_SLACK_WEBHOOK", slack.webhookUrl())).deliver(start));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(1));
        FakeSlack.Request request = slack.accepted().get(0);
        assertThat(request.path()).isEqualTo(FakeSlack.WEBHOOK_PATH);
        assertThat(request.authorization()).isNull();
        assertThat(request.body().has("channel")).isFalse();
        assertThat(request.body().path("blocks").get(0).path("text").path("text").asText()).contains("started by ci-bot");
    }

    @Test
    void anUnsetSecretOrAMissingTokenIsDeadLetteredWithTheSettingToAdd() {
        SlackDelivery unconfigured = delivery(Optional.empty(), Map.of());

        assertThat(await(unconfigured.deliver(SampleNotifications.start(Channel.SLACK, "${{ secrets.DEPLOYS_SLACK_WEBHOOK }}"))))
                .isEqualTo(new DeliveryOutcome.GivenUp("the secret DEPLOYS_SLACK_WEBHOOK that Slack target"
                        + " ${{ secrets.DEPLOYS_SLACK_WEBHOOK }} names is not set in notifier-service:"
                        + " set STAGECOACH_SECRET_DEPLOYS_SLACK_WEBHOOK to the incoming-webhook URL"));
        assertThat(await(unconfigured.deliver(SampleNotifications.start(Channel.SLACK, "#deployments"))))
                .isEqualTo(new DeliveryOutcome.GivenUp("slack is not configured in notifier-service: set"
                        + " stagecoach.notifier.slack.token (STAGECOACH_NOTIFIER_SLACK_TOKEN), a bot token with the chat:write"
                        + " scope, or name a secret holding an incoming-webhook URL as the target"));
        assertThat(slack.requests()).isEmpty();
        assertThat(unconfigured.missingSetting()).contains(
                "stagecoach.notifier.slack.token (STAGECOACH_NOTIFIER_SLACK_TOKEN), a bot token with the chat:write scope");
    }

    private SlackDelivery delivery(Optional<String> token, Map<String, String> secrets) {
        ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofMillis(20), Duration.ofSeconds(5), () -> 1.0);
        return new SlackDelivery(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), new ObjectMapper(),
                token, slack.apiUrl(), new DeploymentSecrets(secrets, name -> null), new NotificationTemplates(Optional.empty()),
                n -> NotificationView.of(n, "https://stagecoach.example.com", "{publicUrl}/#/runs/{runId}"),
                new RetryingAttempts(scheduler, backoff, 3, new DeliveryMetrics(registry)), Duration.ofSeconds(5));
    }

    static DeliveryOutcome await(CompletionStage<DeliveryOutcome> outcome) {
        try {
            return outcome.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the delivery did not end", e);
        }
    }
}
