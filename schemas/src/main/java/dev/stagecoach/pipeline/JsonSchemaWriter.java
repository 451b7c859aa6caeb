package dev.stagecoach.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the JSON Schema of the pipeline language from {@link LanguageSchema}, for editors. */
public final class JsonSchemaWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonSchemaWriter() {
    }

    public static String generate() {
        ObjectNode root = shape(LanguageSchema.ROOT, "A Stagecoach pipeline");
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", "https://stagecoach.dev/schemas/pipeline.schema.json");
        root.put("title", "Stagecoach pipeline");
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code java -cp ... dev.stagecoach.pipeline.JsonSchemaWriter docs/pipeline.schema.json} */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), generate());
    }

    private static ObjectNode shape(LanguageSchema.Shape shape, String description) {
        ObjectNode node = JSON.createObjectNode();
        if (description != null) {
            node.put("description", description);
        }
        if (shape instanceof LanguageSchema.Scalar scalar) {
            node.put("type", scalar.type());
            if (!scalar.choices().isEmpty()) {
                ArrayNode choices = node.putArray("enum");
                scalar.choices().forEach(choices::add);
            }
            if (scalar.pattern() != null) {
                node.put("pattern", scalar.pattern());
            }
        } else if (shape instanceof LanguageSchema.ListOf list) {
            node.put("type", "array");
            node.set("items", shape(list.items(), null));
        } else if (shape instanceof LanguageSchema.AnyOf any) {
            ArrayNode options = node.putArray("anyOf");
            any.shapes().forEach(s -> options.add(shape(s, null)));
        } else if (shape instanceof LanguageSchema.Mapping mapping) {
            node.put("type", "object");
            if (mapping.values() != null) {
                node.set("additionalProperties", shape(mapping.values(), null));
            } else {
                ObjectNode properties = node.putObject("properties");
                mapping.fields().forEach((key, field) -> properties.set(key, shape(field.shape(), field.description())));
                if (!mapping.required().isEmpty()) {
                    ArrayNode required = node.putArray("required");
                    mapping.required().forEach(required::add);
                }
                node.put("additionalProperties", false);
            }
        }
        return node;
    }
}
