package dev.stagecoach.scheduler.engine;

/** Names of the timers the engine sets, and of the attempts they watch. */
final class Timers {

    /**
     * WATCH is a running attempt's one timer, due when its worker's silence or its own deadline
     * would declare it lost, whichever comes first. DEADLINE and HEARTBEAT are the two timers a
     * running attempt had before; a state written then may still hold them, and they fire as
     * watches do.
     */
    enum Kind { RETRY, START, WATCH, DEADLINE, HEARTBEAT, APPROVAL }

    record Parsed(Kind kind, String stage, int attempt) {
    }

    private Timers() {
    }

    static String retry(String stage, int nextAttempt) {
        return "retry:" + nextAttempt + ":" + stage;
    }

    /** Fires when a dispatched attempt was not started by any worker in time. */
    static String start(StageState stage) {
        return "start:" + stage.attempts() + ":" + stage.name();
    }

    /** Fires when a running attempt is lost: its worker fell silent, or it outlived its timeout plus the grace. */
    static String watch(StageState stage) {
        return "watch:" + stage.attempts() + ":" + stage.name();
    }

    static String approval(StageState stage) {
        return "approval:" + stage.attempts() + ":" + stage.name();
    }

    static Parsed parse(String timerId) {
        String[] parts = timerId.split(":", 3);
        if (parts.length != 3) {
            return null;
        }
        try {
            return new Parsed(Kind.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT)), parts[2], Integer.parseInt(parts[1]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A number in [0, 1) that the retry policy's jitter scales the wait by. Derived from the
     * attempt id so that the engine stays a function of its inputs: a replayed event waits as
     * long as the first time, and different stages and runs still spread their retries.
     */
    static double jitterUnit(String attemptId) {
        long bits = attemptId == null ? 0 : attemptId.hashCode() * 0x9E3779B97F4A7C15L;
        return (bits >>> 11) * 0x1.0p-53;
    }
}
