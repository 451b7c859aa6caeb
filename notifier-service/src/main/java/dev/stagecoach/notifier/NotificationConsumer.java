package dev.stagecoach.notifier;

import dev.stagecoach.events.Notification;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * The notifier's edge. Each record is acknowledged once its delivery has finished, which may
 * be long after later records were: the throttled commit strategy commits an offset only when
 * every record before it is done. A notification given up is nacked with the reason, and the
 * dead-letter-queue failure strategy writes it to the dead-letter topic keyed by its run.
 */
@ApplicationScoped
public class NotificationConsumer {

    static final String NO_VALUE = "record has no value, so there is no notification to deliver";

    private static final Logger LOG = Logger.getLogger(NotificationConsumer.class);

    private final NotificationDispatcher dispatcher;
    private final InFlightLimit inFlight;
    private final Duration shutdownGrace;

    @Inject
    public NotificationConsumer(NotificationDispatcher dispatcher, NotifierConfig config) {
        this.dispatcher = dispatcher;
        this.inFlight = new InFlightLimit(config.maxInFlight());
        this.shutdownGrace = config.shutdownGrace();
    }

    /**
     * Told to stop, the notifier takes no new notification and lets those under way end and be
     * recorded: they are not resumed (and perhaps flagged as possible duplicates) by the next
     * start. Runs before the Kafka connector and the clients the deliveries use are closed.
     */
    void finishDeliveriesUnderWay(@Observes ShutdownEvent stopping) throws InterruptedException {
        int underWay = inFlight.taken();
        if (underWay > 0) {
            LOG.infof("stopping once the deliveries under way have ended underWay=%d within=%s", underWay, shutdownGrace);
        }
        // Drains even when nothing is under way: no delivery may begin while the connector closes.
        int left = inFlight.drain(shutdownGrace);
        if (left > 0) {
            LOG.warnf("stopping with deliveries under way; the next start resumes them underWay=%d", left);
        }
    }

    /**
     * Returns as soon as the delivery has started, not when it ends: SmallRye hands over the
     * next record only when this stage completes, so waiting for the delivery here would let
     * one slow receiver hold up every other notification.
     */
    @Incoming("notifications")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public CompletionStage<Void> receive(Message<Notification> message) {
        Notification notification = message.getPayload();
        if (notification == null) {
            return deadLetter(message, null, NO_VALUE);
        }
        return inFlight.acquire().thenAccept(slot -> dispatcher.dispatch(notification)
                .thenCompose(outcome -> settle(message, notification, outcome))
                .whenComplete((settled, error) -> inFlight.release()));
    }

    private static CompletionStage<Void> settle(Message<Notification> message, Notification notification,
                                                DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.GivenUp givenUp) {
            return deadLetter(message, notification.getRunId(), givenUp.reason());
        }
        return message.ack();
    }

    private static CompletionStage<Void> deadLetter(Message<?> message, String runId, String reason) {
        String topic = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getTopic)
                .orElse("unknown");
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> deadLetter = OutgoingKafkaRecordMetadata
                .<String>builder()
                .withHeaders(DeadLetterHeaders.addTo(new RecordHeaders(), reason, topic));
        if (runId != null) {
            deadLetter.withKey(runId);
        }
        return message.nack(new NotificationGivenUp(reason), Metadata.of(deadLetter.build()));
    }
}
