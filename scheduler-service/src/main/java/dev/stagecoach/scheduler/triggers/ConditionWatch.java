package dev.stagecoach.scheduler.triggers;

import dev.stagecoach.pipeline.Trigger;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * The life of one conditional trigger, edge-triggered like an alert: it fires once when its
 * comparison has held for {@code holdFor}, judged by the samples' own times, and fires again
 * only after a sample where the comparison did not hold re-armed it. Samples are judged in
 * the order they arrive; with no sample there is no evidence either way, so nothing changes.
 */
public final class ConditionWatch {

    /**
     * @param holdingSince the time of the first sample of the current unbroken run of samples for which the comparison held
     * @param fired whether this run of samples has started its pipeline run already
     */
    public record Holding(Instant holdingSince, boolean fired) {
    }

    /** @param holding what to remember, or null when the comparison does not hold (the trigger is armed) */
    public record Step(Holding holding, boolean fire) {
    }

    private ConditionWatch() {
    }

    /** @param previous what was remembered after the last sample, or null when it did not hold */
    public static Step observe(Trigger.Conditional trigger, Holding previous, double value, Instant at) {
        if (!trigger.holds(value)) {
            return new Step(null, false);
        }
        if (previous != null && previous.fired()) {
            return new Step(previous, false);
        }
        Instant since = previous == null ? at : previous.holdingSince();
        boolean heldLongEnough = Duration.between(since, at).compareTo(trigger.holdFor()) >= 0;
        return new Step(new Holding(since, heldLongEnough), heldLongEnough);
    }

    /** The run id of the run that {@code trigger} of {@code pipeline} starts at the sample taken {@code at}. */
    public static String runId(String pipeline, Trigger.Conditional trigger, Instant at) {
        return RunIds.derive(pipeline, "conditional", key(trigger), at.toString());
    }

    /** Who asked for the run, as the run's status and report show it: {@code metric:queue.depth > 1000}. */
    public static String requestedBy(Trigger.Conditional trigger) {
        return "metric:" + trigger.metric() + " " + trigger.comparison() + " " + number(trigger.threshold());
    }

    /** Tells a pipeline's conditional triggers apart; a trigger that changes in any part starts afresh. */
    public static String key(Trigger.Conditional trigger) {
        return trigger.metric() + " " + trigger.comparison() + " " + number(trigger.threshold()) + " for " + trigger.holdFor();
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
