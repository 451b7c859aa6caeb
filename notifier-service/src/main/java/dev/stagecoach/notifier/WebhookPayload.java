package dev.stagecoach.notifier;

import dev.stagecoach.events.Notification;
import java.time.format.DateTimeFormatter;

/** The JSON body a webhook receives: the notification without its routing fields. */
public record WebhookPayload(
        String dedupeId,
        String runId,
        String pipeline,
        String event,
        String runStatus,
        String subject,
        String body,
        String createdAt) {

    static WebhookPayload of(Notification notification) {
        return new WebhookPayload(
                notification.getDedupeId(),
                notification.getRunId(),
                notification.getPipeline(),
                notification.getEvent(),
                notification.getRunStatus(),
                notification.getSubject(),
                notification.getBody(),
                DateTimeFormatter.ISO_INSTANT.format(notification.getCreatedAt()));
    }
}
