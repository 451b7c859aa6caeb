package dev.stagecoach.notifier;

import dev.stagecoach.events.Notification;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

/**
 * Records whose value is not a Notification. SmallRye has already marked the record for
 * the dead-letter queue when this runs, and sends it there with its original bytes without
 * calling the consumer; this handler adds the reason in the headers every Stagecoach
 * dead letter carries, so that consumption carries on and an operator can see why.
 */
@ApplicationScoped
@Identifier(UnreadableNotifications.IDENTIFIER)
public class UnreadableNotifications implements DeserializationFailureHandler<Notification> {

    static final String IDENTIFIER = "unreadable-notifications";

    private static final Logger LOG = Logger.getLogger(UnreadableNotifications.class);

    private final DeliveryMetrics metrics;

    @Inject
    public UnreadableNotifications(DeliveryMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Notification handleDeserializationFailure(String topic, boolean isKey, String deserializer, byte[] data,
                                                     Exception exception, Headers headers) {
        String reason = (isKey ? "record key" : "record value") + " is not readable as a Notification: " + describe(exception);
        DeadLetterHeaders.addTo(headers, reason, topic);
        metrics.deadLetteredUnreadable();
        LOG.warnf("unreadable record dead-lettered topic=%s reason=\"%s\"", topic, reason);
        return null;
    }

    private static String describe(Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SerializationException && cause.getMessage() != null) {
                return cause.getMessage();
            }
        }
        return String.valueOf(exception.getMessage());
    }
}
