package dev.stagecoach.worker;

import dev.stagecoach.events.DeadLetters;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Records on a commands topic that are no StageCommand go to the dead-letter topic with their
 * original key and bytes; the headers say why, where from and who gave up on them.
 */
@ApplicationScoped
public class UnreadableCommands {

    private static final Logger LOG = Logger.getLogger(UnreadableCommands.class);

    @Inject
    @Channel("dead-letters")
    MutinyEmitter<byte[]> deadLetters;

    /** Returns once the broker has the dead letter, so the command's offset may be committed after it. */
    public void deadLetter(ConsumerRecord<String, byte[]> record, Exception why) {
        String reason = "record value is not readable as a StageCommand: " + DeadLetters.describe(why);
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetters.addTo(headers, reason, record.topic(), record.partition(), record.offset(), "stage-workers");
        deadLetters.sendMessageAndAwait(Message.of(record.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).withHeaders(headers).build()));
        LOG.warnf("unreadable command dead-lettered topic=%s partition=%d offset=%d reason=\"%s\"",
                record.topic(), record.partition(), record.offset(), reason);
    }
}
