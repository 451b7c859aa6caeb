package dev.stagecoach.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.Channel;
import dev.stagecoach.events.Notification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NotificationTemplatesTest {

    private static final String PUBLIC_URL = "https://stagecoach.example.com";

    private final NotificationTemplates templates = new NotificationTemplates(Optional.empty());

    @ParameterizedTest(name = "{0}/{1}.{2}")
    @CsvSource({
            "email, on_start, txt", "email, on_start, html", "email, on_success, txt", "email, on_success, html",
            "email, on_failure, txt", "email, on_failure, html", "email, on_approval, txt", "email, on_approval, html",
            "slack, on_start, md", "slack, on_success, md", "slack, on_failure, md", "slack, on_approval, md",
            "pagerduty, on_start, txt", "pagerduty, on_success, txt", "pagerduty, on_failure, txt", "pagerduty, on_approval, txt"})
    void everyEventOfEveryChannelHasATemplateThatNamesThePipelineAndTheRun(String channel, String event, String extension) {
        Notification notification = switch (event) {
            case "on_start" -> SampleNotifications.start(Channel.EMAIL, "team@example.com");
            case "on_success" -> SampleNotifications.success(Channel.EMAIL, "team@example.com", List.of());
            case "on_failure" -> SampleNotifications.failure(Channel.EMAIL, "team@example.com");
            default -> SampleNotifications.approval(Channel.EMAIL, "team@example.com");
        };

        String text = templates.render(channel, event, extension, view(notification));

        assertThat(text).contains("data-release", notification.getRunId());
    }

    @Test
    void aFailureShowsTheFailedStageItsExitCodeItsLastOutputWhoStartedItAndTheLinks() {
        Notification failure = SampleNotifications.failure(Channel.EMAIL, "oncall@example.com");

        String text = templates.render("email", "on_failure", "txt", view(failure));

        assertThat(text).contains("ended FAILED after 2m 14s", "Failed stage: processing (exit code 3)",
                "ERROR: checksum mismatch in part-0007 <bad>", "Started by: ci-bot",
                PUBLIC_URL + "/api/runs/" + failure.getRunId(), PUBLIC_URL + "/api/runs/" + failure.getRunId() + "/report");
    }

    @Test
    void htmlEscapesWhatAStagePrintedAndSlackEscapesItsOwnMarkup() {
        Notification failure = SampleNotifications.failure(Channel.EMAIL, "oncall@example.com");

        assertThat(templates.render("email", "on_failure", "html", view(failure)))
                .contains("checksum mismatch in part-0007 &lt;bad&gt;").doesNotContain("<bad>");
        assertThat(templates.render("slack", "on_failure", "md", view(failure)))
                .contains("part-0007 &lt;bad&gt;").doesNotContain("<bad>");
    }

    @Test
    void aSuccessWithNonCriticalFailuresIsAWarningThatNamesThem() {
        Notification success = SampleNotifications.success(Channel.SLACK, "#deployments", List.of("quality_assurance"));

        assertThat(view(success).level()).isEqualTo("warning");
        assertThat(templates.render("slack", "on_success", "md", view(success)))
                .startsWith(":warning:").contains("succeeded with warnings", "`quality_assurance`");
        assertThat(view(SampleNotifications.success(Channel.SLACK, "#deployments", List.of())).level()).isEqualTo("info");
    }

    @Test
    void anApprovalSaysWhoMayApproveWithTheCommandAndTheDashboardLink() {
        Notification approval = SampleNotifications.approval(Channel.EMAIL, "team@example.com");

        assertThat(templates.render("email", "on_approval", "txt", view(approval))).contains(
                "stage deployment waits for approval", "Who may approve: alice or bob",
                "stagecoach approve " + approval.getRunId() + " deployment",
                PUBLIC_URL + "/#/runs/" + approval.getRunId());
    }

    @Test
    void aDeployersFileReplacesThatTemplateAndOnlyThatOne(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("slack"));
        Files.writeString(dir.resolve("slack/on_failure.md"), "PAGE THE TEAM: {view.pipeline} {view.failedStage.name}");
        NotificationTemplates overridden = new NotificationTemplates(Optional.of(dir));
        Notification failure = SampleNotifications.failure(Channel.SLACK, "#ops");

        assertThat(overridden.render("slack", "on_failure", "md", view(failure))).isEqualTo("PAGE THE TEAM: data-release processing");
        assertThat(overridden.render("email", "on_failure", "txt", view(failure))).contains("Failed stage: processing");
    }

    private static NotificationView view(Notification notification) {
        return NotificationView.of(notification, PUBLIC_URL + "/", "{publicUrl}/#/runs/{runId}");
    }
}
