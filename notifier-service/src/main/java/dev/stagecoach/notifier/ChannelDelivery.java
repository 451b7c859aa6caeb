package dev.stagecoach.notifier;

import dev.stagecoach.events.Notification;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Delivers to one kind of channel, retrying as that channel needs, without blocking the caller. */
public interface ChannelDelivery {

    CompletionStage<DeliveryOutcome> deliver(Notification notification);

    /**
     * The setting this channel lacks to deliver anything, in words an operator can act on;
     * empty when it is ready (some of its targets may still name secrets of their own).
     */
    default Optional<String> missingSetting() {
        return Optional.empty();
    }
}
