package dev.stagecoach.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.Channel;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What email needs before it sends anything; sending itself is proven against a real SMTP server in ChannelDeliveryTest. */
class EmailDeliveryTest {

    @Test
    void withoutASenderEmailIsDeadLetteredWithTheSettingToAdd() {
        EmailDelivery unconfigured = new EmailDelivery(null, Optional.empty(), new NotificationTemplates(Optional.empty()),
                n -> NotificationView.of(n, "http://localhost:8080", "{publicUrl}/#/runs/{runId}"), null);

        DeliveryOutcome outcome = SlackDeliveryTest.await(unconfigured.deliver(SampleNotifications.failure(Channel.EMAIL, "oncall@example.com")));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.GivenUp("email is not configured in notifier-service: set"
                + " quarkus.mailer.from (QUARKUS_MAILER_FROM), with quarkus.mailer.host and port of the SMTP server"));
        assertThat(unconfigured.missingSetting()).isPresent();
    }

    @Test
    void theMessageIdIsTheSameForEveryCopyOfANotificationAndDiffersBetweenNotifications() {
        assertThat(EmailDelivery.messageId("run-1:on_failure:0")).isEqualTo(EmailDelivery.messageId("run-1:on_failure:0"))
                .isNotEqualTo(EmailDelivery.messageId("run-1:on_failure:1"))
                .matches("<[0-9a-f]{32}@stagecoach\\.notifier>");
    }
}
