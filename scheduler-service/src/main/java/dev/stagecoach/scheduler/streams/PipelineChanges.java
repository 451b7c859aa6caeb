package dev.stagecoach.scheduler.streams;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the changes to the registered pipelines, so that a processor can keep what it derives
 * from all of them (the conditional triggers by metric) until the next change instead of
 * reading every registration for every record.
 */
final class PipelineChanges {

    private final AtomicLong count = new AtomicLong();

    long current() {
        return count.get();
    }

    /**
     * Runs a change of the registrations, counted before and after it: whoever derives from them
     * while it happens has seen a count that is stale once it is done, and derives again.
     */
    void during(Runnable change) {
        count.incrementAndGet();
        change.run();
        count.incrementAndGet();
    }
}
