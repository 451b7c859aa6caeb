package dev.stagecoach.scheduler.streams;

import java.time.Duration;

/**
 * When the engine asks Kafka Streams to commit at once instead of at the next commit interval.
 *
 * <p>Under exactly-once a command is visible to the workers only once the transaction that wrote
 * it commits, so a hand-off waits for the commit. A commit per decision would write transaction
 * markers and flush the stores' caches for every record, which halves the throughput under load;
 * a commit per interval makes a quiet hand-off wait for the interval. So a decision that hands
 * work on (a command, a cancel, a run's end) asks for a commit at once, unless one was asked for
 * within the gap: then it is due when the gap is over. Quiet hand-offs commit at once, and a busy
 * engine commits at most once per gap, as it did by interval. Plain: the processor asks, this decides.
 */
final class CommitPacing {

    private final long gapMillis;
    private long lastAskedAt = Long.MIN_VALUE / 2;
    private boolean owed;

    /** @param gap the least time between two commits asked for; zero never asks (the interval alone commits) */
    CommitPacing(Duration gap) {
        this.gapMillis = gap.toMillis();
    }

    Duration gap() {
        return Duration.ofMillis(gapMillis);
    }

    boolean enabled() {
        return gapMillis > 0;
    }

    /** A decision handed work on at {@code nowMillis}: whether to ask for a commit now. */
    boolean handedOn(long nowMillis) {
        if (!enabled()) {
            return false;
        }
        owed = true;
        return due(nowMillis);
    }

    /** Whether a commit owed since an earlier hand-off is due now (the processor asks on a timer). */
    boolean due(long nowMillis) {
        if (!owed || nowMillis - lastAskedAt < gapMillis) {
            return false;
        }
        owed = false;
        lastAskedAt = nowMillis;
        return true;
    }
}
