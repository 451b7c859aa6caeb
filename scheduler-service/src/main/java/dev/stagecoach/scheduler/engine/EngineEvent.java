package dev.stagecoach.scheduler.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What can happen to a run. The adapters turn Kafka records and timers into these. */
public sealed interface EngineEvent {

    /**
     * Rules with one method per kind of event: the engine applies an event through this, so a new
     * kind of event does not compile until every set of rules says what it does.
     */
    interface Rules<R> {
        R runCreated(RunCreated event);

        R stageStarted(StageStarted event);

        R stageHeartbeat(StageHeartbeat event);

        R stageFinished(StageFinished event);

        R cancel(Cancel event);

        R approve(Approve event);

        R reject(Reject event);

        R resume(Resume event);

        R timerFired(TimerFired event);
    }

    /** Hands this event to the rule for its kind. */
    <R> R applyTo(Rules<R> rules);

    /**
     * A request to start a run. {@code pipelineYaml} is null when no pipeline of that name is registered.
     */
    record RunCreated(String runId, String pipeline, int revision, String pipelineYaml,
                      Map<String, String> parameters, String requestedBy, String trigger) implements EngineEvent {

        /** A request whose trigger is not known (tests, and requests written before triggers were kept). */
        public RunCreated(String runId, String pipeline, int revision, String pipelineYaml,
                          Map<String, String> parameters, String requestedBy) {
            this(runId, pipeline, revision, pipelineYaml, parameters, requestedBy, null);
        }

        @Override
        public <R> R applyTo(Rules<R> rules) {
            return rules.runCreated(this);
        }
    }

    record StageStarted(String stage, String attemptId, String worker) implements EngineEvent {

        @Override
        public <R> R applyTo(Rules<R> rules) {
            return rules.stageStarted(this);
        }
    }

    record StageHeartbeat(String stage, String attemptId) implements EngineEvent {

        @Override
        public <R> R applyTo(Rules<R> rules) {
            return rules.stageHeartbeat(this);
        }
    }

    /**
     * @param outcome SUCCEEDED, FAILED, TIMED_OUT or CANCELLED, as the worker saw it
     * @param artifacts the declared files the worker kept, whatever the outcome
     */
    record StageFinished(String stage, String attemptId, Outcome outcome, Integer exitCode, Long durationMillis,
                         String error, List<String> outputTail, Map<String, Double> metrics, Map<String, String> outputs,
                         List<Artifact> artifacts)
            implements EngineEvent {

        @Override
        public <R> R applyTo(Rules<R> rules) {
            return rules.stageFinished(this);
        }

        public StageFinished {
            outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
            artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        }

        /** A result without outputs or artifacts. */
        public StageFinished(String stage, String attemptId, Outcome outcome, Integer exitCode, Long durationMillis,
                             String error, List<String> outputTail, Map<String, Double> metrics) {
            this(stage, attemptId, outcome, exitCode, durationMillis, error, outputTail, metrics, Map.of(), List.of());
        }
    }

    record Cancel(String by, String comment) implements EngineEvent {

        @Override
        public <R> R applyTo(Rules<R> rules) {
            return rules.cancel(this);
        }
    }

    record Approve(String stage, String by, String comment) implements EngineEvent {

        @Override
        public <R> R applyTo(Rules<R> rules) {
            return rules.approve(this);
        }
    }

    record Reject(String stage, String by, String comment) implements EngineEvent {

        @Override
        public <R> R applyTo(Rules<R> rules) {
            return rules.reject(this);
        }
    }

    /** Runs a FAILED or CANCELLED run again: succeeded stages stay, the others run anew. */
    record Resume(String by) implements EngineEvent {

        @Override
        public <R> R applyTo(Rules<R> rules) {
            return rules.resume(this);
        }
    }

    record TimerFired(String timerId) implements EngineEvent {

        @Override
        public <R> R applyTo(Rules<R> rules) {
            return rules.timerFired(this);
        }
    }

    enum Outcome { SUCCEEDED, FAILED, TIMED_OUT, CANCELLED }

    /** How long a worker may stay silent before its attempt counts as lost. */
    Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    Duration HEARTBEAT_TIMEOUT = HEARTBEAT_INTERVAL.multipliedBy(4);
    /** Beyond the stage's own timeout, which the worker enforces, before the engine gives up on a result. */
    Duration DEADLINE_GRACE = Duration.ofSeconds(30);

    static Instant never() {
        return Instant.MAX;
    }
}
