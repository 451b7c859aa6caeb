package dev.stagecoach.notifier;

import dev.stagecoach.events.Channel;
import dev.stagecoach.events.Notification;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Hands each notification to the delivery of its channel, at most once per dedupe id: an id
 * the ledger has (delivered before, by this process or an earlier one) is skipped, and a copy
 * that arrives while the first is still being delivered waits for it instead of sending again.
 * Each delivery is marked as begun before its first attempt; one that a killed notifier began
 * goes to {@link ChannelDelivery#deliverAgain}, which asks the receiver or flags the copy. The
 * outcome of a delivery completes only once the ledger has kept it, so that the offset of a
 * notification is never committed before its delivery is recorded.
 */
public final class NotificationDispatcher {

    private static final Logger LOG = Logger.getLogger(NotificationDispatcher.class);

    private final Map<Channel, ChannelDelivery> channels;
    private final DeliveredLedger delivered;
    private final DeliveryMetrics metrics;
    private final Map<String, CompletableFuture<DeliveryOutcome>> inFlight = new ConcurrentHashMap<>();

    public NotificationDispatcher(Map<Channel, ChannelDelivery> channels, DeliveredLedger delivered, DeliveryMetrics metrics) {
        this.channels = channels.isEmpty() ? Map.of() : new EnumMap<>(channels);
        this.delivered = delivered;
        this.metrics = metrics;
    }

    /** Never completes exceptionally: whatever goes wrong ends as {@link DeliveryOutcome.GivenUp}. */
    public CompletionStage<DeliveryOutcome> dispatch(Notification notification) {
        return delivered.ready().handle((ready, error) -> error).thenCompose(error -> error == null ? dispatchNow(notification)
                : CompletableFuture.completedFuture(new DeliveryOutcome.GivenUp(
                        "notifier-service cannot read what it delivered before, so it delivers nothing: " + error)));
    }

    private CompletionStage<DeliveryOutcome> dispatchNow(Notification notification) {
        String dedupeId = notification.getDedupeId();
        if (delivered.contains(dedupeId)) {
            return CompletableFuture.completedFuture(duplicate(notification));
        }
        CompletableFuture<DeliveryOutcome> outcome = new CompletableFuture<>();
        CompletableFuture<DeliveryOutcome> earlier = inFlight.putIfAbsent(dedupeId, outcome);
        if (earlier != null) {
            return earlier.thenApply(ignored -> duplicate(notification));
        }
        // The earlier copy may have finished between the first look and the registration.
        if (delivered.contains(dedupeId)) {
            inFlight.remove(dedupeId, outcome);
            return CompletableFuture.completedFuture(duplicate(notification));
        }
        Optional<Instant> unfinished = delivered.unfinishedSince(dedupeId);
        begin(notification, unfinished).thenCompose(begun -> deliver(notification, unfinished)).whenComplete((result, error) -> {
            DeliveryOutcome settled = error == null ? result
                    : new DeliveryOutcome.GivenUp("delivery failed unexpectedly in notifier-service: " + Failures.cause(error));
            // Kept before the in-flight entry goes, so a copy always finds one of them.
            keep(notification, settled).whenComplete((ignored, notKept) -> {
                inFlight.remove(dedupeId, outcome);
                record(notification, settled);
                outcome.complete(settled);
            });
        });
        return outcome;
    }

    /** The mark that tells a notifier started after a kill that this delivery may have arrived. */
    private CompletionStage<Void> begin(Notification notification, Optional<Instant> unfinished) {
        if (unfinished.isPresent()) {
            return CompletableFuture.completedFuture(null);
        }
        return kept(notification, "delivery start not recorded", () -> delivered.begin(notification));
    }

    private CompletionStage<Void> keep(Notification notification, DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Delivered || outcome instanceof DeliveryOutcome.FoundDelivered) {
            // Delivered all the same: only a restart before the offset commit would send it again.
            return kept(notification, "delivery not recorded", () -> delivered.record(notification));
        }
        if (outcome instanceof DeliveryOutcome.GivenUp) {
            return kept(notification, "delivery end not recorded", () -> delivered.forget(notification));
        }
        return CompletableFuture.completedFuture(null);
    }

    /** The ledger failing never stops a delivery: at worst a restart sends it again. */
    private static CompletionStage<Void> kept(Notification notification, String what, Supplier<CompletionStage<Void>> write) {
        try {
            return write.get().exceptionally(error -> {
                LOG.warnf("%s dedupeId=%s reason=\"%s\"", what, notification.getDedupeId(), error.getMessage());
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warnf("%s dedupeId=%s reason=\"%s\"", what, notification.getDedupeId(), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
    }

    private CompletionStage<DeliveryOutcome> deliver(Notification notification, Optional<Instant> unfinished) {
        ChannelDelivery channel = channels.get(notification.getChannel());
        if (channel == null) {
            return CompletableFuture.completedFuture(new DeliveryOutcome.GivenUp("channel " + notification.getChannel()
                    + " is not one notifier-service delivers to: the engine wrote a channel this notifier does not know"));
        }
        try {
            if (unfinished.isPresent()) {
                metrics.resumed(notification.getChannel());
                LOG.infof("notification resumed: a notifier began it at %s and was stopped before it ended dedupeId=%s runId=%s",
                        unfinished.get(), notification.getDedupeId(), notification.getRunId());
                return channel.deliverAgain(notification, unfinished.get());
            }
            return channel.deliver(notification);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private DeliveryOutcome duplicate(Notification notification) {
        metrics.duplicate(notification.getChannel());
        LOG.debugf("notification skipped as duplicate dedupeId=%s runId=%s", notification.getDedupeId(), notification.getRunId());
        return new DeliveryOutcome.Duplicate();
    }

    private void record(Notification notification, DeliveryOutcome outcome) {
        String channel = DeliveryMetrics.tag(notification.getChannel());
        if (outcome instanceof DeliveryOutcome.Delivered success) {
            metrics.delivered(notification.getChannel());
            LOG.infof("notification delivered dedupeId=%s runId=%s channel=%s attempts=%d",
                    notification.getDedupeId(), notification.getRunId(), channel, success.attempts());
        } else if (outcome instanceof DeliveryOutcome.FoundDelivered found) {
            metrics.delivered(notification.getChannel());
            LOG.infof("notification found delivered, not sent again dedupeId=%s runId=%s channel=%s where=\"%s\"",
                    notification.getDedupeId(), notification.getRunId(), channel, found.where());
        } else if (outcome instanceof DeliveryOutcome.GivenUp givenUp) {
            metrics.deadLettered(notification.getChannel());
            LOG.warnf("notification dead-lettered dedupeId=%s runId=%s channel=%s reason=\"%s\"",
                    notification.getDedupeId(), notification.getRunId(), channel, givenUp.reason());
        }
    }
}
