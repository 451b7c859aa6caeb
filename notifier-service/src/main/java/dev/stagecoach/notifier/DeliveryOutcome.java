package dev.stagecoach.notifier;

/** How the delivery of one notification ended. */
public sealed interface DeliveryOutcome {

    record Delivered(int attempts) implements DeliveryOutcome {
    }

    /**
     * Begun by a notifier killed under way, and found at the receiver when asked: nothing was
     * sent again. Recorded as delivered.
     */
    record FoundDelivered(String where) implements DeliveryOutcome {
    }

    /** Delivered before, or being delivered by an earlier copy: nothing was sent. */
    record Duplicate() implements DeliveryOutcome {
    }

    /** Will not be delivered; the reason says why in words an operator can act on. */
    record GivenUp(String reason) implements DeliveryOutcome {
    }
}
