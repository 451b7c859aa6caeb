package dev.stagecoach.events;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * The headers every record on the dead-letter topic carries, so an operator can read why it
 * is there, where it came from and who gave up on it. The value stays the original bytes.
 */
public final class DeadLetters {

    public static final String REASON = "stagecoach.dlq.reason";
    public static final String TOPIC = "stagecoach.dlq.topic";
    public static final String CONSUMER = "stagecoach.dlq.consumer";
    public static final String PARTITION = "stagecoach.dlq.partition";
    public static final String OFFSET = "stagecoach.dlq.offset";

    private DeadLetters() {
    }

    public static Headers addTo(Headers headers, String reason, String topic, String consumer) {
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(TOPIC, topic.getBytes(StandardCharsets.UTF_8));
        headers.add(CONSUMER, consumer.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** As {@link #addTo(Headers, String, String, String)}, with where in its topic the record was, so it can be found again. */
    public static Headers addTo(Headers headers, String reason, String topic, int partition, long offset, String consumer) {
        addTo(headers, reason, topic, consumer);
        headers.add(PARTITION, Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        headers.add(OFFSET, Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** The most useful message of a failure chain: the serializer's own words when there are some. */
    public static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.apache.kafka.common.errors.SerializationException && cause.getMessage() != null) {
                return cause.getMessage();
            }
        }
        return String.valueOf(failure.getMessage());
    }
}
