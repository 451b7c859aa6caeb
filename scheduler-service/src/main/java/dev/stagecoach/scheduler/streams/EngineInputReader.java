package dev.stagecoach.scheduler.streams;

import dev.stagecoach.events.Control;
import dev.stagecoach.events.DeadLetters;
import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.StageResult;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the records of the engine's input topics, each as the event type its topic carries.
 * The engine's sources hand it raw bytes rather than decoding them themselves: a record Kafka
 * Streams cannot deserialize fails the stream thread, and since its offset is never committed,
 * every restart fails on it again. Here an unreadable record is a value with a reason.
 */
final class EngineInputReader {

    /** A record the engine cannot act on, and why, in words an operator can act on. */
    static final class UnreadableRecord extends RuntimeException {
        UnreadableRecord(String reason) {
            super(reason, null, false, false);
        }
    }

    private record Reading(String type, Function<byte[], Object> decode, Function<Object, String> runId) {
    }

    private final Map<String, Reading> byTopic;

    EngineInputReader(Topics topics) {
        this.byTopic = Map.of(
                topics.runRequests().name(), reading(topics.runRequests(), RunRequested::getRunId),
                topics.results().name(), reading(topics.results(), StageResult::getRunId),
                topics.control().name(), reading(topics.control(), Control::getRunId));
    }

    private static <V> Reading reading(Topic<V> topic, Function<V, String> runId) {
        Deserializer<V> values = topic.valueSerde().deserializer();
        return new Reading(topic.valueType().getSimpleName(), bytes -> values.deserialize(topic.name(), bytes),
                value -> runId.apply(topic.valueType().cast(value)));
    }

    /**
     * @return the decoded event record, keyed by the run it belongs to
     * @throws UnreadableRecord when the bytes are no such record, or the key is not its run id
     */
    Object read(String topic, String key, byte[] value) {
        Reading reading = byTopic.get(topic);
        if (reading == null) {
            throw new UnreadableRecord("the engine does not read topic " + topic);
        }
        if (value == null) {
            throw new UnreadableRecord("the record has no value; " + topic + " carries " + reading.type() + " records");
        }
        Object event;
        try {
            event = reading.decode().apply(value);
        } catch (RuntimeException e) {
            throw new UnreadableRecord("record value is not readable as a " + reading.type() + ": " + DeadLetters.describe(e));
        }
        String runId = reading.runId().apply(event);
        // A run's state lives in the partition of its id: a record under another key would act
        // on a run that the API, keyed by run id, could never find.
        if (key == null || !key.equals(runId)) {
            throw new UnreadableRecord("the record's key must be its run id \"" + runId + "\", but it is "
                    + (key == null ? "missing" : "\"" + key + "\""));
        }
        return event;
    }
}
