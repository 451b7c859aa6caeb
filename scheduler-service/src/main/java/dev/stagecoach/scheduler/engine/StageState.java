package dev.stagecoach.scheduler.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where one stage of a run stands.
 *
 * @param attempts how many attempts were dispatched so far
 * @param attemptId the id of the current (or last) attempt; results for any other id are stale
 * @param deadline when the current attempt counts as lost if no result arrived
 * @param retryAt when the next attempt is due, while in {@link StageStatus#RETRY_WAIT}
 */
public record StageState(
        String name,
        StageStatus status,
        int attempts,
        String attemptId,
        String worker,
        Instant dispatchedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant deadline,
        Instant heartbeatDeadline,
        Instant retryAt,
        Long durationMillis,
        Integer exitCode,
        String error,
        List<String> outputTail,
        Map<String, Double> metrics) {

    public StageState {
        outputTail = outputTail == null ? List.of() : List.copyOf(outputTail);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    public static StageState pending(String name) {
        return new StageState(name, StageStatus.PENDING, 0, null, null, null, null, null, null, null, null,
                null, null, null, List.of(), Map.of());
    }

    /** Moves to {@code next}, refusing a transition that {@link StageStatus} does not allow. */
    StageState to(StageStatus next) {
        if (!status.canBecome(next)) {
            throw new IllegalStateException("Expected stage \"" + name + "\" to be able to go from " + status
                    + " to " + next + ", but only " + status.allowedNext() + " are allowed");
        }
        return new StageState(name, next, attempts, attemptId, worker, dispatchedAt, startedAt, finishedAt, deadline,
                heartbeatDeadline, retryAt, durationMillis, exitCode, error, outputTail, metrics);
    }

    StageState dispatched(int attempt, String newAttemptId, Instant at, Instant newDeadline) {
        return new StageState(name, to(StageStatus.DISPATCHED).status, attempt, newAttemptId, null, at, null, null,
                newDeadline, null, null, null, null, null, List.of(), Map.of());
    }

    StageState started(String byWorker, Instant at, Instant newHeartbeatDeadline) {
        return new StageState(name, to(StageStatus.RUNNING).status, attempts, attemptId, byWorker, dispatchedAt, at,
                null, deadline, newHeartbeatDeadline, null, null, null, null, List.of(), Map.of());
    }

    StageState heartbeat(Instant newHeartbeatDeadline) {
        return new StageState(name, status, attempts, attemptId, worker, dispatchedAt, startedAt, finishedAt, deadline,
                newHeartbeatDeadline, retryAt, durationMillis, exitCode, error, outputTail, metrics);
    }

    StageState finished(StageStatus outcome, Instant at, Long duration, Integer exit, String why,
                        List<String> tail, Map<String, Double> stageMetrics) {
        return new StageState(name, to(outcome).status, attempts, attemptId, worker, dispatchedAt,
                startedAt == null ? dispatchedAt : startedAt, at, null, null, null, duration, exit, why, tail, stageMetrics);
    }

    StageState waitingForRetry(Instant at, Instant nextTry, Long duration, Integer exit, String why, List<String> tail) {
        return new StageState(name, to(StageStatus.RETRY_WAIT).status, attempts, attemptId, worker, dispatchedAt,
                startedAt, at, null, null, nextTry, duration, exit, why, tail, metrics);
    }

    StageState ended(StageStatus outcome, Instant at, String why) {
        return new StageState(name, to(outcome).status, attempts, attemptId, worker, dispatchedAt, startedAt, at,
                null, null, null, durationMillis, exitCode, why, outputTail, metrics);
    }
}
