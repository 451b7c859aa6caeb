package dev.stagecoach.notifier;

import dev.stagecoach.events.Channel;
import dev.stagecoach.events.FailedStage;
import dev.stagecoach.events.Notification;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Notifications as the engine writes them, for one channel and target each. */
final class SampleNotifications {

    static final Instant STARTED = Instant.parse("2026-01-01T12:00:00Z");

    private SampleNotifications() {
    }

    static Notification failure(Channel channel, String target) {
        String runId = "run-" + UUID.randomUUID();
        return base(runId, "on_failure", channel, target, "[stagecoach] data-release run " + runId + " failed", "FAILED")
                .setReason("stage \"processing\" failed: exited with code 3")
                .setFailedStage(FailedStage.newBuilder().setName("processing").setExitCode(3)
                        .setError("exited with code 3")
                        .setOutputTail(List.of("loading s3://bucket/day=01", "ERROR: checksum mismatch in part-0007 <bad>"))
                        .build())
                .build();
    }

    static Notification success(Channel channel, String target, List<String> nonCriticalFailures) {
        String runId = "run-" + UUID.randomUUID();
        return base(runId, "on_success", channel, target, "[stagecoach] data-release run " + runId + " succeeded"
                + (nonCriticalFailures.isEmpty() ? "" : " with warnings"), "SUCCEEDED")
                .setNonCriticalFailures(nonCriticalFailures)
                .build();
    }

    static Notification start(Channel channel, String target) {
        String runId = "run-" + UUID.randomUUID();
        return base(runId, "on_start", channel, target, "[stagecoach] data-release run " + runId + " started", "RUNNING")
                .setRunFinishedAt(null)
                .build();
    }

    static Notification approval(Channel channel, String target) {
        String runId = "run-" + UUID.randomUUID();
        return base(runId, "on_approval", channel, target,
                "[stagecoach] data-release run " + runId + " awaits approval (stage deployment)", "RUNNING")
                .setRunFinishedAt(null)
                .setApprovalStage("deployment")
                .setApprovers(List.of("alice", "bob"))
                .build();
    }

    private static Notification.Builder base(String runId, String event, Channel channel, String target, String subject,
                                             String status) {
        return Notification.newBuilder()
                .setDedupeId(runId + ":" + event + ":0")
                .setRunId(runId)
                .setPipeline("data-release")
                .setEvent(event)
                .setChannel(channel)
                .setTarget(target)
                .setSubject(subject)
                .setBody(subject + "\n")
                .setRunStatus(status)
                .setCreatedAt(STARTED.plusSeconds(135))
                .setStartedBy("ci-bot")
                .setRunStartedAt(STARTED)
                .setRunFinishedAt(STARTED.plusSeconds(134));
    }
}
