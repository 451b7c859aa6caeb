package dev.stagecoach.events.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every event schema stays backward and forward compatible with every released version,
 * so that producers and consumers of different releases can share the topics.
 */
class EventSchemaCompatibilityTest {

    private static final String RELEASED = "/dev/stagecoach/events/released/";

    static Stream<Arguments> typesAndReleasedVersions() {
        return EventTypes.ALL.stream().flatMap(type -> EventTypes.releasedVersions().stream()
                .filter(version -> released(type, version) != null)
                .map(version -> Arguments.of(type.getSimpleName() + " " + version, type, version)));
    }

    @Test
    void atLeastOneVersionIsReleased() {
        assertThat(EventTypes.releasedVersions()).isNotEmpty();
    }

    @Test
    void everyCurrentEventTypeHasASchemaInTheLatestRelease() {
        List<String> versions = EventTypes.releasedVersions();
        String latest = versions.get(versions.size() - 1);

        assertThat(missingFromRelease(EventTypes.ALL, latest)).isEmpty();
    }

    @Test
    void aReleaseWithoutTheSchemasIsReportedWithWhatToDo() {
        assertThat(missingFromRelease(List.of(EventTypes.ALL.get(0)), "0.0.0-never-released"))
                .singleElement().asString()
                .contains(EventTypes.ALL.get(0).getSimpleName() + ".avsc", "released/0.0.0-never-released/", "versions.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("typesAndReleasedVersions")
    void currentSchemaReadsTheReleasedOneAndTheReleasedOneReadsTheCurrent(
            String name, Class<? extends SpecificRecord> type, String version) {
        Schema current = EventTypes.schemaOf(type);
        Schema old = released(type, version);

        assertThat(old.getFullName()).isEqualTo(current.getFullName());
        assertThat(compatibilityProblems(current, old, version)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("typesAndReleasedVersions")
    void messageWrittenWithTheReleasedSchemaIsDecodedByTheCurrentSerde(
            String name, Class<? extends SpecificRecord> type, String version) throws IOException {
        Schema old = released(type, version);
        GenericRecord written = EventSamples.populated(old);
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(written);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);

        SpecificRecord read = AvroSerde.of(type).deserialize("stagecoach.test", bytes);

        assertThat(read).isInstanceOf(type);
        assertCarried(written, read, type.getSimpleName());
    }

    // The checks below prove that the helper fails when it should: each change is one a
    // developer could plausibly make, and each would break a producer or consumer of 0.1.0.

    @Test
    void newRequiredFieldWithoutDefaultIsReportedBackwardIncompatible() {
        Schema old = EventTypes.schemaOf(EventTypes.ALL.get(0));
        Schema changed = withFields(old, fields -> fields.add(new Schema.Field("tenant", Schema.create(Schema.Type.STRING))));

        assertThat(compatibilityProblems(changed, old, "test"))
                .singleElement().asString()
                .startsWith("backward (the current schema cannot read messages written with test)")
                .contains("READER_FIELD_MISSING_DEFAULT", "tenant");
    }

    @Test
    void removedFieldWithoutDefaultIsReportedForwardIncompatible() {
        Schema old = EventTypes.schemaOf(EventTypes.ALL.get(0));
        Schema.Field firstRequired = old.getFields().stream().filter(f -> !f.hasDefaultValue()).findFirst().orElseThrow();
        Schema changed = withFields(old, fields -> fields.removeIf(f -> f.name().equals(firstRequired.name())));

        assertThat(compatibilityProblems(changed, old, "test"))
                .singleElement().asString()
                .startsWith("forward (readers of test cannot read messages written with the current schema)")
                .contains("READER_FIELD_MISSING_DEFAULT", firstRequired.name());
    }

    @Test
    void changedFieldTypeIsReportedIncompatibleBothWays() {
        Schema old = EventTypes.schemaOf(EventTypes.ALL.get(0));
        Schema.Field text = old.getFields().stream()
                .filter(f -> f.schema().getType() == Schema.Type.STRING).findFirst().orElseThrow();
        Schema changed = withFields(old, fields -> fields.replaceAll(f -> f.name().equals(text.name())
                ? new Schema.Field(f.name(), Schema.create(Schema.Type.INT)) : f));

        assertThat(compatibilityProblems(changed, old, "test")).hasSize(2)
                .allSatisfy(problem -> assertThat(problem).contains("TYPE_MISMATCH", "/fields/" + text.pos()));
    }

    @Test
    void newOptionalFieldWithDefaultIsCompatibleBothWays() {
        Schema old = EventTypes.schemaOf(EventTypes.ALL.get(0));
        Schema optional = Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
        Schema changed = withFields(old, fields -> fields.add(new Schema.Field("tenant", optional, null, Schema.Field.NULL_DEFAULT_VALUE)));

        assertThat(compatibilityProblems(changed, old, "test")).isEmpty();
    }

    /** Every reason why the current schema and a released one cannot read each other's messages. */
    static List<String> compatibilityProblems(Schema current, Schema released, String version) {
        List<String> problems = new ArrayList<>();
        problems.addAll(problems(current, released,
                "backward (the current schema cannot read messages written with " + version + ")"));
        problems.addAll(problems(released, current,
                "forward (readers of " + version + " cannot read messages written with the current schema)"));
        return problems;
    }

    private static List<String> problems(Schema reader, Schema writer, String direction) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult().getIncompatibilities()
                .stream()
                .map(i -> direction + ": " + i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .toList();
    }

    /** One line per current type whose schema the release lacks, saying how to release it. */
    static List<String> missingFromRelease(List<Class<? extends SpecificRecord>> types, String version) {
        return types.stream().filter(type -> released(type, version) == null)
                .map(type -> type.getSimpleName() + " has no released schema: released/" + version + "/"
                        + type.getSimpleName() + ".avsc is missing. Copy every file of src/main/avro/ into a new folder "
                        + "src/main/resources" + RELEASED + "<next version>/ and add that version as the last line of "
                        + "src/main/resources" + RELEASED + "versions.txt")
                .toList();
    }

    private static Schema released(Class<? extends SpecificRecord> type, String version) {
        String resource = RELEASED + version + "/" + type.getSimpleName() + ".avsc";
        try (InputStream in = EventSchemaCompatibilityTest.class.getResourceAsStream(resource)) {
            return in == null ? null : new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    private static Schema withFields(Schema record, java.util.function.Consumer<List<Schema.Field>> change) {
        List<Schema.Field> fields = new ArrayList<>();
        record.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        change.accept(fields);
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    /** Every value the old writer wrote arrives in the field of the same name; new fields are not compared. */
    private static void assertCarried(Object written, Object read, String path) {
        if (written instanceof IndexedRecord record) {
            IndexedRecord readRecord = (IndexedRecord) read;
            for (Schema.Field field : record.getSchema().getFields()) {
                Schema.Field readField = readRecord.getSchema().getField(field.name());
                if (readField != null) {
                    assertCarried(record.get(field.pos()), readRecord.get(readField.pos()), path + "." + field.name());
                }
            }
        } else if (written instanceof Map<?, ?> map) {
            Map<?, ?> readMap = (Map<?, ?>) read;
            assertThat(readMap).as(path).hasSameSizeAs(map);
            map.forEach((key, value) -> assertCarried(value, readMap.get(key.toString()), path + "[" + key + "]"));
        } else if (written instanceof List<?> list) {
            List<?> readList = (List<?>) read;
            assertThat(readList).as(path).hasSameSizeAs(list);
            for (int i = 0; i < list.size(); i++) {
                assertCarried(list.get(i), readList.get(i), path + "[" + i + "]");
            }
        } else {
            assertThat(plain(read)).as(path).isEqualTo(plain(written));
        }
    }

    private static Object plain(Object value) {
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof CharSequence || value instanceof Enum<?> || value instanceof GenericData.EnumSymbol) {
            return value.toString();
        }
        return value;
    }
}
