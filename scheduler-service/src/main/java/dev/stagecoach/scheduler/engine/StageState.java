package dev.stagecoach.scheduler.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where one stage of a run stands. Its status moves only along the rows of
 * {@link StageStatus#TRANSITIONS}; {@link Step#move} checks each move against them.
 *
 * @param attempts how many attempts were dispatched so far, across resumes
 * @param attemptsBeforeResume attempts made before the last resume; retries count from there
 * @param attempt the current (or last) attempt, or null before the first
 * @param approvalState the wait for a person's decision, for a stage with a manual approval, or null
 * @param retryAt when the next attempt is due, while in {@link StageStatus#RETRY_WAIT}
 * @param result what the last attempt that ended left behind, or null while none has
 */
public record StageState(
        String name,
        StageStatus status,
        int attempts,
        int attemptsBeforeResume,
        Attempt attempt,
        ApprovalState approvalState,
        Instant retryAt,
        Result result) {

    /**
     * One attempt and the times the engine watches it by.
     *
     * @param id results for any other id are stale
     * @param startBy when it counts as lost if no worker started it
     * @param resultBy when it counts as lost if it started and no result came (its timeout plus a grace)
     * @param heartbeatBy when it counts as lost if its worker stays silent
     */
    public record Attempt(String id, String worker, Instant dispatchedAt, Instant startBy, Instant startedAt,
                          Instant resultBy, Instant heartbeatBy) {

        /** Derived, not random: a replayed decision dispatches the very same attempt id. */
        public static String idOf(String runId, String stage, int number) {
            return runId + "/" + stage + "/" + number;
        }

        Attempt startedOn(String byWorker, Instant at, Instant newResultBy, Instant newHeartbeatBy) {
            return new Attempt(id, byWorker, dispatchedAt, startBy, at, newResultBy, newHeartbeatBy);
        }

        Attempt beating(Instant newHeartbeatBy) {
            return new Attempt(id, worker, dispatchedAt, startBy, startedAt, resultBy, newHeartbeatBy);
        }

        /** When a running attempt is lost if nothing changes: the earlier of its two deadlines. */
        Instant lostAt() {
            return resultBy.isBefore(heartbeatBy) ? resultBy : heartbeatBy;
        }
    }

    /**
     * @param since when the stage started waiting
     * @param timesOutAt when the wait fails the stage, or null when it waits for ever
     * @param decision what the person decided, or null while nobody has
     */
    public record ApprovalState(Instant since, Instant timesOutAt, Approval decision) {

        /** Whether a timer is still set for the wait: it times out and nobody decided yet. */
        boolean hasTimer() {
            return timesOutAt != null && decision == null;
        }
    }

    /** What an attempt left when it ended: its outcome, its output and what it reported. */
    public record Result(Instant finishedAt, Long durationMillis, Integer exitCode, String error, List<String> outputTail,
                         Map<String, Double> metrics, Map<String, String> outputs, List<Artifact> artifacts) {

        public Result {
            outputTail = outputTail == null ? List.of() : List.copyOf(outputTail);
            metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
            outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
            artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        }

        /** What an attempt the engine (or a person) ended leaves: no exit code, no output, only the reason. */
        static Result reason(Instant at, String why) {
            return new Result(at, null, null, why, null, null, null, null);
        }

        Result withError(Instant at, String why) {
            return new Result(at, durationMillis, exitCode, why, outputTail, metrics, outputs, artifacts);
        }
    }

    public static StageState pending(String name) {
        return new StageState(name, StageStatus.PENDING, 0, 0, null, null, null, null);
    }

    /** Attempts made since the run last started or resumed: what the retry policy counts. */
    public int attemptsThisRound() {
        return attempts - attemptsBeforeResume;
    }

    // What readers (the report, the API, the snapshots) ask of a stage, whatever it went through.

    public String attemptId() {
        return attempt == null ? null : attempt.id();
    }

    public String worker() {
        return attempt == null ? null : attempt.worker();
    }

    public Instant dispatchedAt() {
        return attempt == null ? null : attempt.dispatchedAt();
    }

    public Instant startedAt() {
        return attempt == null ? null : attempt.startedAt();
    }

    public Instant finishedAt() {
        return result == null ? null : result.finishedAt();
    }

    public Long durationMillis() {
        return result == null ? null : result.durationMillis();
    }

    public Integer exitCode() {
        return result == null ? null : result.exitCode();
    }

    public String error() {
        return result == null ? null : result.error();
    }

    public List<String> outputTail() {
        return result == null ? List.of() : result.outputTail();
    }

    public Map<String, Double> metrics() {
        return result == null ? Map.of() : result.metrics();
    }

    public Map<String, String> outputs() {
        return result == null ? Map.of() : result.outputs();
    }

    public List<Artifact> artifacts() {
        return result == null ? List.of() : result.artifacts();
    }

    /** The decision of the person who approved or rejected it, or null. */
    public Approval approval() {
        return approvalState == null ? null : approvalState.decision();
    }

    public Instant awaitingSince() {
        return approvalState == null ? null : approvalState.since();
    }

    // The moves. Each builds the state a row of StageStatus.TRANSITIONS leads to; Step.move checks the row.

    StageState dispatched(int number, String newAttemptId, Instant at, Instant startBy) {
        return new StageState(name, StageStatus.DISPATCHED, number, attemptsBeforeResume,
                new Attempt(newAttemptId, null, at, startBy, null, null, null), approvalState, null, null);
    }

    StageState awaitingApproval(Instant since, Instant timesOutAt) {
        return new StageState(name, StageStatus.AWAITING_APPROVAL, attempts, attemptsBeforeResume, attempt,
                new ApprovalState(since, timesOutAt, null), null, null);
    }

    StageState decided(Approval decision) {
        return new StageState(name, status, attempts, attemptsBeforeResume, attempt,
                new ApprovalState(approvalState.since(), approvalState.timesOutAt(), decision), retryAt, result);
    }

    StageState started(String byWorker, Instant at, Instant resultBy, Instant heartbeatBy) {
        return new StageState(name, StageStatus.RUNNING, attempts, attemptsBeforeResume,
                attempt.startedOn(byWorker, at, resultBy, heartbeatBy), approvalState, null, null);
    }

    StageState heartbeat(Instant heartbeatBy) {
        return new StageState(name, status, attempts, attemptsBeforeResume, attempt.beating(heartbeatBy), approvalState,
                retryAt, result);
    }

    StageState finished(StageStatus outcome, Result ended) {
        Attempt last = attempt != null && attempt.startedAt() == null
                ? attempt.startedOn(attempt.worker(), attempt.dispatchedAt(), attempt.resultBy(), attempt.heartbeatBy()) : attempt;
        return new StageState(name, outcome, attempts, attemptsBeforeResume, last, approvalState, null, ended);
    }

    StageState waitingForRetry(Instant nextTry, Result ended) {
        return new StageState(name, StageStatus.RETRY_WAIT, attempts, attemptsBeforeResume, attempt, approvalState, nextTry,
                ended);
    }

    /** Ended without a result of its own: cancelled, skipped, or failed by the engine; what the last attempt left stays. */
    StageState ended(StageStatus outcome, Instant at, String why) {
        Result kept = result == null ? Result.reason(at, why) : result.withError(at, why);
        return new StageState(name, outcome, attempts, attemptsBeforeResume, attempt, approvalState, null, kept);
    }

    /** Back to PENDING for another round (a rollback step queued again, or a resumed run); the count of attempts goes on. */
    StageState again() {
        // Only the last id stays, so that a late result of that attempt is told apart as stale.
        Attempt last = attempt == null ? null : new Attempt(attempt.id(), null, null, null, null, null, null);
        return new StageState(name, StageStatus.PENDING, attempts, attempts, last, null, null, null);
    }
}
