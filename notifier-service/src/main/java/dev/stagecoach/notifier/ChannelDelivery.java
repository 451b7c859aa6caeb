package dev.stagecoach.notifier;

import dev.stagecoach.events.Notification;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Delivers to one kind of channel, retrying as that channel needs, without blocking the caller. */
public interface ChannelDelivery {

    CompletionStage<DeliveryOutcome> deliver(Notification notification);

    /**
     * Delivers a notification whose delivery a notifier began at {@code begun} and never saw
     * end, because it was killed: the receiver may have it. A channel whose receiver can say
     * what it got asks first and answers {@link DeliveryOutcome.FoundDelivered}; the others
     * send it again with the same idempotency key, flagged as a possible duplicate where the
     * channel has a way to say so. This default sends it again as it is.
     */
    default CompletionStage<DeliveryOutcome> deliverAgain(Notification notification, Instant begun) {
        return deliver(notification);
    }

    /**
     * The setting this channel lacks to deliver anything, in words an operator can act on;
     * empty when it is ready (some of its targets may still name secrets of their own).
     */
    default Optional<String> missingSetting() {
        return Optional.empty();
    }
}
