package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.NotificationEvent;
import dev.stagecoach.pipeline.NotificationTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the engine asks the world to do; the topology turns each into records or timers. */
public sealed interface Effect {

    /**
     * @param inputs the stage kind's {@code with} inputs, rendered
     * @param secretEnv the variables whose value holds a secret, in pieces for the worker; not in {@code env}
     * @param secretInputs likewise for inputs
     * @param artifacts the paths or globs of the files the worker keeps when the attempt ends
     */
    record DispatchStage(String stage, int attempt, String attemptId, String pool, String kind, String command,
                         Map<String, String> env, Map<String, String> inputs, Map<String, SecretText> secretEnv,
                         Map<String, SecretText> secretInputs, List<String> artifacts, Duration timeout) implements Effect {
    }

    record CancelStage(String stage, int attempt, String attemptId, String pool) implements Effect {
    }

    record ScheduleTimer(String timerId, Instant dueAt) implements Effect {
    }

    record CancelTimer(String timerId, Instant dueAt) implements Effect {
    }

    record EmitRunEvent(String type, String stage, Integer attempt, String message) implements Effect {
    }

    /** @param dedupeId stable for this run, event and target, so a replay is delivered once */
    record Notify(NotificationEvent event, NotificationTarget target, String dedupeId, String subject, String body,
                  Facts facts) implements Effect {

        /**
         * What the notifier's templates show beyond the run itself.
         *
         * @param failedStage the critical stage that failed the run, or null
         * @param nonCriticalFailures stages that failed without failing the run: a success with these is a warning
         * @param approvalStage the stage that waits for approval, or null
         * @param approvers who may approve it; empty when any operator may
         */
        public record Facts(String failedStage, List<String> nonCriticalFailures, String approvalStage, List<String> approvers) {

            public Facts {
                nonCriticalFailures = List.copyOf(nonCriticalFailures);
                approvers = List.copyOf(approvers);
            }
        }
    }

    record FinishRun(RunStatus status) implements Effect {
    }

    /** The run's retention is over: its state, timers and snapshot go. */
    record ForgetRun() implements Effect {
    }
}
