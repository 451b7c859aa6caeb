package dev.stagecoach.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStackNotifierSettingsTest {

    @Test
    void theNotifierGetsTheChannelSettingsOfTheEnvironmentAndNothingElse() {
        Map<String, String> environment = Map.of(
                "QUARKUS_MAILER_HOST", "smtp.example.com",
                "QUARKUS_MAILER_FROM", "stagecoach@example.com",
                "STAGECOACH_NOTIFIER_SLACK_TOKEN", "xoxb-1",
                "STAGECOACH_SECRET_DEPLOYS_SLACK_WEBHOOK", "https://hooks.slack.com/services/T/B/X",
                "STAGECOACH_PUBLIC_URL", "https://stagecoach.example.com",
                "HOME", "/root",
                "STAGECOACH_AUTH_ADMIN_TOKEN", "not for the notifier");

        assertThat(LocalStack.notifierSettingsIn(environment)).containsOnlyKeys("QUARKUS_MAILER_HOST", "QUARKUS_MAILER_FROM",
                "STAGECOACH_NOTIFIER_SLACK_TOKEN", "STAGECOACH_SECRET_DEPLOYS_SLACK_WEBHOOK", "STAGECOACH_PUBLIC_URL");
    }

    @Test
    void upSaysWhichChannelsTheSettingsConfigure() {
        assertThat(LocalStack.channelsConfigured(Map.of())).isEqualTo("webhook");
        assertThat(LocalStack.channelsConfigured(Map.of("QUARKUS_MAILER_FROM", "stagecoach@example.com",
                "QUARKUS_MAILER_HOST", "smtp.example.com", "QUARKUS_MAILER_PORT", "587",
                "STAGECOACH_NOTIFIER_PAGERDUTY_ROUTING_KEY", "R0UT1NG")))
                .isEqualTo("webhook, email (smtp.example.com:587), pagerduty");
    }
}
