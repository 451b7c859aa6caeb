package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed JSON Schema is what {@link JsonSchemaWriter} generates from the language's one
 * description, and every example satisfies it. Regenerate it with
 * {@code mvn -pl schemas test -Dtest=JsonSchemaTest -Dstagecoach.write-schema=true}.
 */
class JsonSchemaTest {

    static final Path COMMITTED = Path.of("..", "docs", "pipeline.schema.json");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static JsonSchema schema() {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JsonSchemaWriter.generate());
    }

    @Test
    void committedSchemaIsTheGeneratedOne() throws IOException {
        String generated = JsonSchemaWriter.generate();
        if (Boolean.getBoolean("stagecoach.write-schema")) {
            Files.writeString(COMMITTED, generated);
        }
        assertThat(Files.exists(COMMITTED) ? Files.readString(COMMITTED) : "")
                .as("docs/pipeline.schema.json is stale: regenerate it with "
                        + "mvn -pl schemas test -Dtest=JsonSchemaTest -Dstagecoach.write-schema=true")
                .isEqualTo(generated);
    }

    static Stream<Path> examples() throws IOException {
        return ExamplesTest.examples();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleSatisfiesTheSchema(Path file) throws IOException {
        Set<ValidationMessage> problems = schema().validate(YAML.readTree(file.toFile()));
        assertThat(problems).as(file.toString()).isEmpty();
    }

    @Test
    void schemaRefusesWhatTheLoaderRefuses() throws IOException {
        JsonNode misspelled = YAML.readTree("""
                pipeline:
                  name: x
                  stages:
                    - {name: a, run: b, timout: 5m, on_failure: sometimes}
                """);
        assertThat(schema().validate(misspelled)).extracting(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("timout"))
                .anySatisfy(m -> assertThat(m).contains("on_failure"));
    }

    @Test
    void schemaKnowsTheTriggersAndRefusesAnInlineWebhookSecret() throws IOException {
        JsonNode triggers = YAML.readTree("""
                pipeline:
                  name: x
                  triggers:
                    - cron: {schedule: "0 3 * *"}
                    - webhook: {secret: hunter2}
                    - conditional: {metric: q, comparison: "=>", threshold: 1}
                  stages:
                    - {name: a, run: b}
                """);
        assertThat(schema().validate(triggers)).extracting(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("schedule"))
                .anySatisfy(m -> assertThat(m).contains("secret"))
                .anySatisfy(m -> assertThat(m).contains("comparison"));
    }
}
