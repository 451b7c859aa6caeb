package dev.stagecoach.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagecoach.events.Channel;
import dev.stagecoach.events.Notification;
import dev.stagecoach.testkit.receivers.FakePagerDuty;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PagerDuty delivery against a real local HTTP server that checks and answers as the Events API v2 does. */
class PagerDutyDeliveryTest {

    private final FakePagerDuty pagerDuty = new FakePagerDuty();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        pagerDuty.close();
        scheduler.shutdownNow();
    }

    @Test
    void aFailureTriggersAnIncidentPerPipelineWithTheSeverityOfTheTargetAndTheNextSuccessResolvesIt() {
        PagerDutyDelivery delivery = delivery(Optional.of(FakePagerDuty.ROUTING_KEY), Map.of());
        Notification failure = SampleNotifications.failure(Channel.PAGERDUTY, "critical");

        assertThat(SlackDeliveryTest.await(delivery.deliver(failure))).isEqualTo(new DeliveryOutcome.Delivered(1));

        JsonNode trigger = pagerDuty.accepted().get(0).body();
        assertThat(trigger.path("routing_key").asText()).isEqualTo(FakePagerDuty.ROUTING_KEY);
        assertThat(trigger.path("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.path("dedup_key").asText()).isEqualTo("stagecoach/data-release");
        JsonNode payload = trigger.path("payload");
        assertThat(payload.path("severity").asText()).isEqualTo("critical");
        assertThat(payload.path("summary").asText())
                .isEqualTo("data-release run " + failure.getRunId() + " FAILED: stage processing exited with code 3");
        assertThat(payload.path("source").asText()).isEqualTo("stagecoach/data-release");
        assertThat(payload.path("custom_details").path("exit_code").asInt()).isEqualTo(3);
        assertThat(payload.path("custom_details").path("last_output").asText()).contains("checksum mismatch");
        assertThat(trigger.path("links")).extracting(l -> l.path("href").asText())
                .containsExactly("https://stagecoach.example.com/api/runs/" + failure.getRunId(),
                        "https://stagecoach.example.com/api/runs/" + failure.getRunId() + "/report");
        assertThat(pagerDuty.openIncidents()).containsOnlyKeys("stagecoach/data-release");

        Notification success = SampleNotifications.success(Channel.PAGERDUTY, "critical", List.of());
        assertThat(SlackDeliveryTest.await(delivery.deliver(success))).isEqualTo(new DeliveryOutcome.Delivered(1));

        JsonNode resolve = pagerDuty.accepted().get(1).body();
        assertThat(resolve.path("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.path("dedup_key").asText()).isEqualTo("stagecoach/data-release");
        assertThat(pagerDuty.openIncidents()).isEmpty();
    }

    @Test
    void throttledIsRetriedUntilAccepted() {
        pagerDuty.rateLimit(2);

        DeliveryOutcome outcome = SlackDeliveryTest.await(delivery(Optional.of(FakePagerDuty.ROUTING_KEY), Map.of())
                .deliver(SampleNotifications.failure(Channel.PAGERDUTY, "error")));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(3));
        assertThat(pagerDuty.events()).extracting(FakePagerDuty.Event::status).containsExactly(429, 429, 202);
        assertThat(registry.counter(DeliveryMetrics.RETRIES, "channel", "pagerduty").count()).isEqualTo(2.0);
    }

    @Test
    void anEventPagerDutyRefusesIsFinalWithPagerDutysOwnReason() {
        DeliveryOutcome outcome = SlackDeliveryTest.await(delivery(Optional.of("too-short"), Map.of())
                .deliver(SampleNotifications.failure(Channel.PAGERDUTY, "critical")));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.GivenUp("pagerduty trigger of stagecoach/data-release answered 400:"
                + " Event object is invalid; Length of 'routing_key' is incorrect (should be 32 characters)"));
        assertThat(pagerDuty.events()).hasSize(1);
    }

    @Test
    void aTargetMayNameTheSecretThatHoldsItsServicesRoutingKey() {
        String payments = "PAYMENTS" + "0".repeat(21) + "KEY";
        PagerDutyDelivery delivery = delivery(Optional.empty(), Map.of("PAYMENTS_PAGERDUTY_KEY", payments));

        DeliveryOutcome outcome = SlackDeliveryTest.await(delivery.deliver(
                SampleNotifications.failure(Channel.PAGERDUTY, "warning ${{ secrets.PAYMENTS_PAGERDUTY_KEY }}")));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered(1));
        JsonNode trigger = pagerDuty.accepted().get(0).body();
        assertThat(trigger.path("routing_key").asText()).isEqualTo(payments);
        assertThat(trigger.path("payload").path("severity").asText()).isEqualTo("warning");
    }

    @Test
    void withoutARoutingKeyTheNotificationIsDeadLetteredWithTheSettingToAdd() {
        PagerDutyDelivery unconfigured = delivery(Optional.empty(), Map.of());

        assertThat(SlackDeliveryTest.await(unconfigured.deliver(SampleNotifications.failure(Channel.PAGERDUTY, "critical"))))
                .isEqualTo(new DeliveryOutcome.GivenUp("pagerduty is not configured in notifier-service: set"
                        + " stagecoach.notifier.pagerduty.routing-key (STAGECOACH_NOTIFIER_PAGERDUTY_ROUTING_KEY),"
                        + " or name the secret that holds the routing key in the target"));
        assertThat(SlackDeliveryTest.await(unconfigured.deliver(
                SampleNotifications.failure(Channel.PAGERDUTY, "critical ${{ secrets.PAYMENTS_PAGERDUTY_KEY }}"))))
                .isEqualTo(new DeliveryOutcome.GivenUp("the secret PAYMENTS_PAGERDUTY_KEY that the PagerDuty target names is"
                        + " not set in notifier-service: set STAGECOACH_SECRET_PAYMENTS_PAGERDUTY_KEY to the service's integration key"));
        assertThat(pagerDuty.events()).isEmpty();
    }

    private PagerDutyDelivery delivery(Optional<String> routingKey, Map<String, String> secrets) {
        ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofMillis(20), Duration.ofSeconds(1), () -> 1.0);
        return new PagerDutyDelivery(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), new ObjectMapper(),
                pagerDuty.eventsUrl(), routingKey, new DeploymentSecrets(secrets, name -> null),
                new NotificationTemplates(Optional.empty()),
                n -> NotificationView.of(n, "https://stagecoach.example.com", "{publicUrl}/#/runs/{runId}"),
                new RetryingAttempts(scheduler, backoff, 5, new DeliveryMetrics(registry)), Duration.ofSeconds(5));
    }
}
