package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.NotificationEvent;
import dev.stagecoach.pipeline.NotificationTarget;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The words of a notification, and the facts the notifier's templates show. */
final class NotificationTexts {

    private NotificationTexts() {
    }

    /** @param critical whether a stage's failure fails the run */
    static Effect.Notify notify(RunState run, NotificationEvent event, NotificationTarget target, int index,
                                Predicate<String> critical) {
        return notify(run, event, target, run.runId() + ":" + event.key() + ":" + index, "", critical, null, List.of());
    }

    /**
     * Resolves the PagerDuty incident an earlier failure of the pipeline opened: sent for the
     * pagerduty targets of {@code on_failure} when a run succeeds.
     */
    static Effect.Notify resolveIncident(RunState run, NotificationTarget target, int index, Predicate<String> critical) {
        return notify(run, NotificationEvent.ON_SUCCESS, target,
                run.runId() + ":" + NotificationEvent.ON_SUCCESS.key() + ":resolve:" + index, "", critical, null, List.of());
    }

    static Effect.Notify approvalNeeded(RunState run, StageState stage, NotificationTarget target, int index,
                                        List<String> approvers) {
        return notify(run, NotificationEvent.ON_APPROVAL, target,
                run.runId() + ":" + NotificationEvent.ON_APPROVAL.key() + ":" + stage.name() + ":" + stage.attempts() + ":" + index,
                " (stage " + stage.name() + ")", name -> true, stage.name(), approvers);
    }

    private static Effect.Notify notify(RunState run, NotificationEvent event, NotificationTarget target, String dedupeId,
                                        String detail, Predicate<String> critical, String approvalStage,
                                        List<String> approvers) {
        List<String> nonCriticalFailures = run.stageList().stream()
                .filter(s -> s.status() == StageStatus.FAILED && !critical.test(s.name())).map(StageState::name).toList();
        String failedStage = event != NotificationEvent.ON_FAILURE ? null : run.stageList().stream()
                .filter(s -> s.status() == StageStatus.FAILED && critical.test(s.name())).map(StageState::name)
                .findFirst().orElse(null);
        String subject = "[stagecoach] " + run.pipeline() + " run " + run.runId() + " " + switch (event) {
            case ON_START -> "started";
            case ON_SUCCESS -> nonCriticalFailures.isEmpty() ? "succeeded" : "succeeded with warnings";
            case ON_FAILURE -> run.status() == RunStatus.CANCELLED ? "was cancelled" : "failed";
            case ON_APPROVAL -> "awaits approval";
        } + detail;
        String stages = run.stageList().stream()
                .map(s -> "- " + s.name() + ": " + s.status() + (s.error() == null ? "" : " (" + s.error() + ")"))
                .collect(Collectors.joining("\n"));
        String body = subject + "\n" + (run.reason() == null ? "" : run.reason() + "\n") + "\n" + stages + "\n";
        return new Effect.Notify(event, target, dedupeId, subject, body,
                new Effect.Notify.Facts(failedStage, nonCriticalFailures, approvalStage, approvers));
    }
}
