package dev.stagecoach.events.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Avro single-object encoding of one event type: every message starts with the fingerprint
 * of its writer's schema, and a reader resolves the writers of every released version.
 */
public final class EventCodec<T extends SpecificRecord> {

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private EventCodec(Class<T> type) {
        this.type = type;
        // Records are created through the event class's own loader: under Quarkus test class
        // loading Avro's default loader is another one, and the cast to the record would fail.
        SpecificData model = new SpecificData(type.getClassLoader());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        var schema = EventTypes.schemaOf(type);
        SchemaStore.Cache older = new SchemaStore.Cache();
        EventTypes.releasedSchemas(type).forEach(older::addSchema);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, older);
    }

    public static <T extends SpecificRecord> EventCodec<T> of(Class<T> type) {
        return new EventCodec<>(type);
    }

    public Class<T> type() {
        return type;
    }

    public byte[] encode(T event) {
        try {
            ByteBuffer buffer = encoder.encode(event);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** @throws SerializationException naming the expected type when the bytes are not one of its versions */
    public T decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("not a " + type.getSimpleName()
                    + " in Avro single-object encoding (" + e.getMessage() + ")", e);
        }
    }
}
