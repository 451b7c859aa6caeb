package dev.stagecoach.notifier;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/** The headers by which an operator reads why a record is on the dead-letter topic, and where it came from. */
final class DeadLetterHeaders {

    static final String REASON = "stagecoach.dlq.reason";
    static final String TOPIC = "stagecoach.dlq.topic";
    static final String CONSUMER = "stagecoach.dlq.consumer";
    static final String THIS_CONSUMER = "notifier-service";

    private DeadLetterHeaders() {
    }

    static Headers addTo(Headers headers, String reason, String topic) {
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(TOPIC, topic.getBytes(StandardCharsets.UTF_8));
        headers.add(CONSUMER, THIS_CONSUMER.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
