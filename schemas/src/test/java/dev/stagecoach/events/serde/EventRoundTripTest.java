package dev.stagecoach.events.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventRoundTripTest {

    private static final String TOPIC = "stagecoach.test";

    static Stream<Named<Class<? extends SpecificRecord>>> types() {
        return EventTypes.ALL.stream().map(type -> Named.of(type.getSimpleName(), type));
    }

    @ParameterizedTest
    @MethodSource("types")
    <T extends SpecificRecord> void sampleSetsEveryFieldToSomethingOtherThanItsDefault(Class<T> type) {
        assertThat(EventSamples.fieldsLeftAtDefault(EventSamples.populated(type))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("types")
    <T extends SpecificRecord> void everyFieldSurvivesSerializeAndDeserialize(Class<T> type) {
        T event = EventSamples.populated(type);
        AvroSerde<T> serde = AvroSerde.of(type);

        byte[] bytes = serde.serialize(TOPIC, event);
        T decoded = serde.deserialize(TOPIC, bytes);

        // Not isEqualTo: the generated equals of RunSnapshot throws on its decoded stages list (a
        // GenericData.Array compares with the plain GenericData, which knows no Instant).
        assertThat(decoded).usingRecursiveComparison().isEqualTo(event);
        assertThat(decoded).hasToString(event.toString());
        assertThat(serde.serialize(TOPIC, decoded)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @MethodSource("types")
    <T extends SpecificRecord> void bytesStartWithTheSingleObjectHeaderAndTheSchemaFingerprint(Class<T> type) {
        byte[] bytes = AvroSerde.of(type).serialize(TOPIC, EventSamples.populated(type));

        assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0xC3, 0x01);
        long fingerprint = SchemaNormalization.parsingFingerprint64(EventTypes.schemaOf(type));
        byte[] littleEndian = new byte[8];
        for (int i = 0; i < 8; i++) {
            littleEndian[i] = (byte) (fingerprint >>> (8 * i));
        }
        assertThat(Arrays.copyOfRange(bytes, 2, 10)).containsExactly(littleEndian);
    }

    @ParameterizedTest
    @MethodSource("types")
    <T extends SpecificRecord> void bytesOfAnotherEventTypeAreRefusedNamingTheExpectedType(Class<T> type) {
        Class<? extends SpecificRecord> other = EventTypes.ALL.get((EventTypes.ALL.indexOf(type) + 1) % EventTypes.ALL.size());
        byte[] otherBytes = serialize(other);

        assertThatThrownBy(() -> AvroSerde.of(type).deserialize(TOPIC, otherBytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("not a " + type.getSimpleName() + " ");
    }

    @ParameterizedTest
    @MethodSource("types")
    <T extends SpecificRecord> void randomBytesAreRefusedNamingTheExpectedType(Class<T> type) {
        Random random = new Random(type.getSimpleName().hashCode());
        byte[] noise = new byte[64];
        random.nextBytes(noise);
        noise[0] = 0x00;
        byte[] noiseAfterHeader = new byte[64];
        random.nextBytes(noiseAfterHeader);
        noiseAfterHeader[0] = (byte) 0xC3;
        noiseAfterHeader[1] = 0x01;
        AvroSerde<T> serde = AvroSerde.of(type);

        for (byte[] bytes : new byte[][] {noise, noiseAfterHeader}) {
            assertThatThrownBy(() -> serde.deserialize(TOPIC, bytes))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageStartingWith("not a " + type.getSimpleName() + " ");
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    <T extends SpecificRecord> void everyTruncationOfAValidMessageIsRefusedNamingTheExpectedType(Class<T> type) {
        byte[] bytes = serialize(type);
        AvroSerde<T> serde = AvroSerde.of(type);

        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> serde.deserialize(TOPIC, truncated))
                    .as("the first %d of %d bytes", length, bytes.length)
                    .isInstanceOf(SerializationException.class)
                    .hasMessageStartingWith("not a " + type.getSimpleName() + " ");
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    <T extends SpecificRecord> void nullPassesThroughAsNullForTombstones(Class<T> type) {
        AvroSerde<T> serde = AvroSerde.of(type);

        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @ParameterizedTest
    @MethodSource("types")
    @SuppressWarnings("unchecked")
    <T extends SpecificRecord> void everyTypeHasANoArgumentSerdeThatConfigurationCanName(Class<T> type) throws Exception {
        Class<?> serdeClass = Class.forName(Serdes.class.getName() + "$" + type.getSimpleName() + "Serde");
        AvroSerde<T> serde = (AvroSerde<T>) serdeClass.getConstructor().newInstance();
        T event = EventSamples.populated(type);

        assertThat(serde.deserialize(TOPIC, serde.serialize(TOPIC, event))).usingRecursiveComparison().isEqualTo(event);
    }

    private static <T extends SpecificRecord> byte[] serialize(Class<T> type) {
        return AvroSerde.of(type).serialize(TOPIC, EventSamples.populated(type));
    }
}
