package dev.stagecoach.scheduler.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where one stage of a run stands.
 *
 * @param attempts how many attempts were dispatched so far, across resumes
 * @param attemptsBeforeResume attempts made before the last resume; retries count from there
 * @param attemptId the id of the current (or last) attempt; results for any other id are stale
 * @param deadline when the current attempt counts as lost: while DISPATCHED, if no worker started it by then;
 *                 while RUNNING, if no result arrived by then; while AWAITING_APPROVAL, when the approval times out
 * @param retryAt when the next attempt is due, while in {@link StageStatus#RETRY_WAIT}
 * @param awaitingSince when the stage started waiting for approval
 * @param approval the decision of the person who approved or rejected it
 * @param outputs the values the last attempt set ({@code ::output name=value}); later stages read them
 * @param artifacts the files the worker kept from the last attempt, whatever its outcome
 */
public record StageState(
        String name,
        StageStatus status,
        int attempts,
        int attemptsBeforeResume,
        String attemptId,
        String worker,
        Instant dispatchedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant deadline,
        Instant heartbeatDeadline,
        Instant retryAt,
        Instant awaitingSince,
        Approval approval,
        Long durationMillis,
        Integer exitCode,
        String error,
        List<String> outputTail,
        Map<String, Double> metrics,
        Map<String, String> outputs,
        List<Artifact> artifacts) {

    public StageState {
        outputTail = outputTail == null ? List.of() : List.copyOf(outputTail);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
        // null in states written before workers kept artifacts
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    public static StageState pending(String name) {
        return new StageState(name, StageStatus.PENDING, 0, 0, null, null, null, null, null, null, null, null, null, null,
                null, null, null, List.of(), Map.of(), Map.of(), List.of());
    }

    /** Attempts made since the run last started or resumed: what the retry policy counts. */
    public int attemptsThisRound() {
        return attempts - attemptsBeforeResume;
    }

    /** Moves to {@code next}, refusing a transition that {@link StageStatus} does not allow. */
    StageState to(StageStatus next) {
        if (!status.canBecome(next)) {
            throw new IllegalStateException("Expected stage \"" + name + "\" to be able to go from " + status
                    + " to " + next + ", but only " + status.allowedNext() + " are allowed");
        }
        return new StageState(name, next, attempts, attemptsBeforeResume, attemptId, worker, dispatchedAt, startedAt,
                finishedAt, deadline, heartbeatDeadline, retryAt, awaitingSince, approval, durationMillis, exitCode, error,
                outputTail, metrics, outputs, artifacts);
    }

    StageState dispatched(int attempt, String newAttemptId, Instant at, Instant startBy) {
        return new StageState(name, to(StageStatus.DISPATCHED).status, attempt, attemptsBeforeResume, newAttemptId, null,
                at, null, null, startBy, null, null, awaitingSince, approval, null, null, null, List.of(), Map.of(), Map.of(), List.of());
    }

    StageState awaitingApproval(Instant since, Instant timeoutAt) {
        return new StageState(name, to(StageStatus.AWAITING_APPROVAL).status, attempts, attemptsBeforeResume, attemptId,
                null, null, null, null, timeoutAt, null, null, since, null, null, null, null, List.of(), Map.of(), Map.of(), List.of());
    }

    StageState decided(Approval decision) {
        return new StageState(name, status, attempts, attemptsBeforeResume, attemptId, worker, dispatchedAt, startedAt,
                finishedAt, null, heartbeatDeadline, retryAt, awaitingSince, decision, durationMillis, exitCode, error,
                outputTail, metrics, outputs, artifacts);
    }

    StageState started(String byWorker, Instant at, Instant newDeadline, Instant newHeartbeatDeadline) {
        return new StageState(name, to(StageStatus.RUNNING).status, attempts, attemptsBeforeResume, attemptId, byWorker,
                dispatchedAt, at, null, newDeadline, newHeartbeatDeadline, null, awaitingSince, approval, null, null, null,
                List.of(), Map.of(), Map.of(), List.of());
    }

    StageState heartbeat(Instant newHeartbeatDeadline) {
        return new StageState(name, status, attempts, attemptsBeforeResume, attemptId, worker, dispatchedAt, startedAt,
                finishedAt, deadline, newHeartbeatDeadline, retryAt, awaitingSince, approval, durationMillis, exitCode, error,
                outputTail, metrics, outputs, artifacts);
    }

    StageState finished(StageStatus outcome, Instant at, Long duration, Integer exit, String why,
                        List<String> tail, Map<String, Double> stageMetrics, Map<String, String> stageOutputs,
                        List<Artifact> kept) {
        return new StageState(name, to(outcome).status, attempts, attemptsBeforeResume, attemptId, worker, dispatchedAt,
                startedAt == null ? dispatchedAt : startedAt, at, null, null, null, awaitingSince, approval, duration, exit,
                why, tail, stageMetrics, stageOutputs, kept);
    }

    StageState waitingForRetry(Instant at, Instant nextTry, Long duration, Integer exit, String why, List<String> tail,
                               List<Artifact> kept) {
        // metrics stay: a gate that failed the attempt reads them in the report
        return new StageState(name, to(StageStatus.RETRY_WAIT).status, attempts, attemptsBeforeResume, attemptId, worker,
                dispatchedAt, startedAt, at, null, null, nextTry, awaitingSince, approval, duration, exit, why, tail, metrics,
                outputs, kept);
    }

    StageState ended(StageStatus outcome, Instant at, String why) {
        return new StageState(name, to(outcome).status, attempts, attemptsBeforeResume, attemptId, worker, dispatchedAt,
                startedAt, at, null, null, null, awaitingSince, approval, durationMillis, exitCode, why, outputTail, metrics, outputs, artifacts);
    }

    /** The metrics of the attempt that just ended, kept even when a gate fails it. */
    StageState withMetrics(Map<String, Double> reported) {
        return new StageState(name, status, attempts, attemptsBeforeResume, attemptId, worker, dispatchedAt, startedAt,
                finishedAt, deadline, heartbeatDeadline, retryAt, awaitingSince, approval, durationMillis, exitCode, error,
                outputTail, reported, outputs, artifacts);
    }

    /** A rollback step runs again (before another retry, or for the run): a new attempt, nothing else kept. */
    StageState again() {
        return new StageState(name, StageStatus.PENDING, attempts, attempts, attemptId, null, null, null, null, null, null,
                null, null, null, null, null, null, List.of(), Map.of(), Map.of(), List.of());
    }

    /** Back to PENDING for a resumed run; the attempt count goes on, the retry budget starts afresh. */
    StageState reopened() {
        if (!status.rerunsOnResume()) {
            throw new IllegalStateException("Expected stage \"" + name + "\" to be FAILED, CANCELLED or SKIPPED to run again, but it is " + status);
        }
        return new StageState(name, StageStatus.PENDING, attempts, attempts, attemptId, null, null, null, null, null, null,
                null, null, null, null, null, null, List.of(), Map.of(), Map.of(), List.of());
    }
}
