package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.Durations;
import java.time.Duration;
import java.util.Locale;

/**
 * One thing that happens to a run in a generated interleaving. Steps say what kind of message
 * arrives and pick their target by index among the stages it fits, so that a shrunk list of steps
 * still means something against whatever state the run is in; {@link RunSimulation} resolves them.
 */
sealed interface EngineStep {

    /** A message of a worker, as a stale or unrequested one may carry it. */
    enum Message { STARTED, HEARTBEAT, FINISHED }

    /** The worker of the {@code pick}-th dispatched stage reports that it started. */
    record Start(int pick) implements EngineStep {
        @Override
        public String toString() {
            return "start(" + pick + ")";
        }
    }

    /** The worker of the {@code pick}-th running stage sends a heartbeat. */
    record Heartbeat(int pick) implements EngineStep {
        @Override
        public String toString() {
            return "heartbeat(" + pick + ")";
        }
    }

    /** The worker of the {@code pick}-th in-flight stage reports its result for the current attempt. */
    record Finish(int pick, EngineEvent.Outcome outcome) implements EngineStep {
        @Override
        public String toString() {
            return "finish(" + pick + ", " + outcome + ")";
        }
    }

    /** The {@code pick}-th message sent so far arrives again. */
    record Duplicate(int pick) implements EngineStep {
        @Override
        public String toString() {
            return "duplicate(" + pick + ")";
        }
    }

    /** A message carrying the {@code pick}-th attempt id that is no longer current. */
    record Stale(int pick, Message message) implements EngineStep {
        @Override
        public String toString() {
            return "stale(" + pick + ", " + message.name().toLowerCase(Locale.ROOT) + ")";
        }
    }

    /** A message for the {@code pick}-th stage that was never dispatched, or for a stage the pipeline lacks. */
    record Unrequested(int pick, Message message) implements EngineStep {
        @Override
        public String toString() {
            return "unrequested(" + pick + ", " + message.name().toLowerCase(Locale.ROOT) + ")";
        }
    }

    record Advance(Duration by) implements EngineStep {
        @Override
        public String toString() {
            return "advance(" + Durations.format(by) + ")";
        }
    }

    /** The punctuator fires every timer that is due, as the topology's timer store would. */
    record FireDueTimers() implements EngineStep {
        @Override
        public String toString() {
            return "fireDueTimers";
        }
    }

    /** The same run is requested again. */
    record RequestAgain() implements EngineStep {
        @Override
        public String toString() {
            return "requestAgain";
        }
    }

    record Cancel() implements EngineStep {
        @Override
        public String toString() {
            return "cancel";
        }
    }
}
