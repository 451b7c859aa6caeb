package dev.stagecoach.scheduler.streams;

import dev.stagecoach.events.DeadLetters;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Sends a record a processor cannot read to the dead-letter topic: its own key, bytes and
 * headers, plus why, and the topic, partition and offset it was read at. Forwarded within the
 * task's transaction, so the dead letter and the consumed offset commit together.
 */
final class DeadLetterRecords {

    private DeadLetterRecords() {
    }

    static void send(ProcessorContext<String, Object> context, Record<String, byte[]> record, String fallbackTopic,
                     String consumer, String reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        RecordMetadata where = context.recordMetadata().orElse(null);
        if (where == null) {
            DeadLetters.addTo(headers, reason, fallbackTopic, consumer);
        } else {
            DeadLetters.addTo(headers, reason, where.topic(), where.partition(), where.offset(), consumer);
        }
        context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp(), headers),
                RunEngineTopology.DEAD_LETTERS_SINK);
    }

    /** The topic the record being processed was read from, or {@code fallback} outside a record (a punctuation). */
    static String sourceTopic(ProcessorContext<?, ?> context, String fallback) {
        return context.recordMetadata().map(RecordMetadata::topic).orElse(fallback);
    }
}
