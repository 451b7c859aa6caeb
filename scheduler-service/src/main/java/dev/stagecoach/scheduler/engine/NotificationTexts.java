package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.NotificationEvent;
import dev.stagecoach.pipeline.NotificationTarget;
import java.util.stream.Collectors;

/** The words of a notification. */
final class NotificationTexts {

    private NotificationTexts() {
    }

    static Effect.Notify notify(RunState run, NotificationEvent event, NotificationTarget target, int index) {
        return notify(run, event, target, run.runId() + ":" + event.key() + ":" + index, "");
    }

    static Effect.Notify approvalNeeded(RunState run, StageState stage, NotificationTarget target, int index) {
        return notify(run, NotificationEvent.ON_APPROVAL, target,
                run.runId() + ":" + NotificationEvent.ON_APPROVAL.key() + ":" + stage.name() + ":" + stage.attempts() + ":" + index,
                " (stage " + stage.name() + ")");
    }

    private static Effect.Notify notify(RunState run, NotificationEvent event, NotificationTarget target, String dedupeId,
                                        String detail) {
        String subject = "[stagecoach] " + run.pipeline() + " run " + run.runId() + " " + switch (event) {
            case ON_START -> "started";
            case ON_SUCCESS -> "succeeded";
            case ON_FAILURE -> run.status() == RunStatus.CANCELLED ? "was cancelled" : "failed";
            case ON_APPROVAL -> "awaits approval";
        } + detail;
        String stages = run.stageList().stream()
                .map(s -> "- " + s.name() + ": " + s.status() + (s.error() == null ? "" : " (" + s.error() + ")"))
                .collect(Collectors.joining("\n"));
        String body = subject + "\n" + (run.reason() == null ? "" : run.reason() + "\n") + "\n" + stages + "\n";
        return new Effect.Notify(event, target, dedupeId, subject, body);
    }
}
