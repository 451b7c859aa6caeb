package dev.stagecoach.notifier;

import dev.stagecoach.events.Notification;
import java.util.concurrent.CompletionStage;

/** Delivers to one kind of channel, retrying as that channel needs, without blocking the caller. */
public interface ChannelDelivery {

    CompletionStage<DeliveryOutcome> deliver(Notification notification);
}
