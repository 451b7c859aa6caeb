package dev.stagecoach.events.serde;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Events with every field set to a value other than its default, derived from the schema, so
 * that a field added to any event is covered by the round-trip and compatibility tests at once.
 */
public final class EventSamples {

    private static final Instant AT = Instant.parse("2025-03-14T09:26:53.589Z");

    private EventSamples() {
    }

    /** An instance of the generated class, in the Java types its setters take (Instant, enums, ...). */
    public static <T extends SpecificRecord> T populated(Class<T> type) {
        return type.cast(value(EventTypes.schemaOf(type), "", null, SpecificData.getForClass(type)));
    }

    /** A generic record of any schema, e.g. a released one, as a producer without the generated classes would build it. */
    static GenericRecord populated(Schema schema) {
        return (GenericRecord) value(schema, "", null, GenericData.get());
    }

    /** Paths of the fields, nested ones too, that are unset or still hold their default. */
    static List<String> fieldsLeftAtDefault(IndexedRecord record) {
        List<String> left = new ArrayList<>();
        collectDefaults(record, record.getSchema().getName(), left);
        return left;
    }

    private static void collectDefaults(IndexedRecord record, String path, List<String> left) {
        GenericData model = record instanceof SpecificRecord ? SpecificData.getForSchema(record.getSchema()) : GenericData.get();
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            String fieldPath = path + "." + field.name();
            if (value == null || field.hasDefaultValue() && Objects.equals(value, model.getDefaultValue(field))) {
                left.add(fieldPath);
            }
            if (value instanceof IndexedRecord nested) {
                collectDefaults(nested, fieldPath, left);
            } else if (value instanceof List<?> items) {
                items.stream().filter(IndexedRecord.class::isInstance)
                        .forEach(item -> collectDefaults((IndexedRecord) item, fieldPath + "[]", left));
            }
        }
    }

    private static Object value(Schema schema, String name, Object jsonDefault, GenericData model) {
        Object raw = switch (schema.getType()) {
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.pos(), value(field.schema(), field.name(), field.defaultVal(), model));
                }
                yield record;
            }
            case UNION -> value(schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL)
                    .findFirst().orElseThrow(), name, null, model);
            case STRING -> name + "-value";
            case INT -> 1_000 + name.length();
            case LONG -> 4_200_000_000L + name.length();
            case FLOAT -> 0.25f + name.length();
            case DOUBLE -> 0.5 + name.length();
            case BOOLEAN -> !Boolean.TRUE.equals(jsonDefault);
            case BYTES -> ByteBuffer.wrap((name + "-bytes").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case FIXED -> model.createFixed(null, new byte[schema.getFixedSize()], schema);
            // The last symbol: the first is UNKNOWN, every enum's default.
            case ENUM -> model.createEnum(schema.getEnumSymbols().get(schema.getEnumSymbols().size() - 1), schema);
            case ARRAY -> List.of(value(schema.getElementType(), name + "-1", null, model),
                    value(schema.getElementType(), name + "-2", null, model));
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("first", value(schema.getValueType(), name + "-first", null, model));
                map.put("second", value(schema.getValueType(), name + "-second", null, model));
                yield map;
            }
            case NULL -> null;
        };
        if (schema.getType() == Schema.Type.LONG && schema.getLogicalType() != null) {
            raw = AT.toEpochMilli() + name.length();
        }
        Conversion<?> conversion = schema.getLogicalType() == null ? null : model.getConversionFor(schema.getLogicalType());
        return conversion == null ? raw : Conversions.convertToLogicalType(raw, schema, schema.getLogicalType(), conversion);
    }
}
