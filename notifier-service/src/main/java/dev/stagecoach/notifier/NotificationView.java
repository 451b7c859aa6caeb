package dev.stagecoach.notifier;

import dev.stagecoach.events.FailedStage;
import dev.stagecoach.events.Notification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A notification as its templates see it: the record's facts, and what is worked out from them
 * (the level, the duration in words, the commands and the links).
 *
 * @param level {@code info}, {@code warning} (a success with non-critical failures) or {@code error}
 * @param approvers who may approve, in words
 */
public record NotificationView(
        String pipeline,
        String runId,
        String event,
        String status,
        String level,
        String subject,
        String startedBy,
        String duration,
        String reason,
        Failure failedStage,
        List<String> nonCriticalFailures,
        String approvalStage,
        String approvers,
        String approveCommand,
        String rejectCommand,
        String runUrl,
        String reportUrl,
        String dashboardUrl) {

    /** The stage that failed the run, with what it last printed. */
    public record Failure(String name, Integer exitCode, String error, List<String> outputTail) {

        public String output() {
            return String.join("\n", outputTail);
        }
    }

    /**
     * @param publicUrl where people reach the scheduler, without a trailing slash
     * @param dashboardLink a run's page, with {@code {publicUrl}} and {@code {runId}} to fill in
     */
    static NotificationView of(Notification notification, String publicUrl, String dashboardLink) {
        String base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        String runId = notification.getRunId();
        String event = notification.getEvent();
        boolean warning = "on_success".equals(event) && !notification.getNonCriticalFailures().isEmpty();
        String level = "on_failure".equals(event) ? "error" : warning || "on_approval".equals(event) ? "warning" : "info";
        FailedStage failed = notification.getFailedStage();
        String stage = notification.getApprovalStage();
        return new NotificationView(
                notification.getPipeline(),
                runId,
                event,
                notification.getRunStatus(),
                level,
                notification.getSubject(),
                notification.getStartedBy().isEmpty() ? "someone unknown" : notification.getStartedBy(),
                duration(notification.getRunStartedAt(), notification.getRunFinishedAt()),
                notification.getReason(),
                failed == null ? null : new Failure(failed.getName(), failed.getExitCode(), failed.getError(), failed.getOutputTail()),
                List.copyOf(notification.getNonCriticalFailures()),
                stage,
                notification.getApprovers().isEmpty() ? "anyone with the operator role"
                        : String.join(" or ", notification.getApprovers()),
                stage == null ? null : "stagecoach approve " + runId + " " + stage,
                stage == null ? null : "stagecoach reject " + runId + " " + stage,
                base + "/api/runs/" + runId,
                base + "/api/runs/" + runId + "/report",
                dashboardLink.replace("{publicUrl}", base).replace("{runId}", runId));
    }

    public boolean warning() {
        return "warning".equals(level) && "on_success".equals(event);
    }

    /** Empty while the run has not ended. */
    static String duration(Instant startedAt, Instant finishedAt) {
        if (startedAt == null || finishedAt == null) {
            return "";
        }
        Duration took = Duration.between(startedAt, finishedAt);
        if (took.toSeconds() < 1) {
            return took.toMillis() + "ms";
        }
        long hours = took.toHours();
        int minutes = took.toMinutesPart();
        int seconds = took.toSecondsPart();
        return (hours > 0 ? hours + "h " : "") + (hours > 0 || minutes > 0 ? minutes + "m " : "") + seconds + "s";
    }
}
