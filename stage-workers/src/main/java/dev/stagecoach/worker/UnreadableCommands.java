package dev.stagecoach.worker;

import dev.stagecoach.events.DeadLetters;
import dev.stagecoach.events.StageCommand;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

/**
 * Records on a commands topic that are no StageCommand. Returning null lets SmallRye send the
 * original bytes to the dead-letter topic (failure-strategy=dead-letter-queue) and carry on;
 * the headers say why.
 */
@ApplicationScoped
@Identifier(UnreadableCommands.IDENTIFIER)
public class UnreadableCommands implements DeserializationFailureHandler<StageCommand> {

    static final String IDENTIFIER = "unreadable-commands";
    private static final Logger LOG = Logger.getLogger(UnreadableCommands.class);

    @Override
    public StageCommand handleDeserializationFailure(String topic, boolean isKey, String deserializer, byte[] data,
                                                     Exception exception, Headers headers) {
        String reason = (isKey ? "record key" : "record value") + " is not readable as a StageCommand: "
                + DeadLetters.describe(exception);
        DeadLetters.addTo(headers, reason, topic, "stage-workers");
        LOG.warnf("unreadable command dead-lettered topic=%s reason=\"%s\"", topic, reason);
        return null;
    }
}
