package dev.stagecoach.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Option;

/** {@code --output text|json}: what a command that prints data prints. JSON is the API's own answer, for scripts. */
final class OutputOption {

    enum Format { TEXT, JSON }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (for people, the default) or json (the API's answer, for scripts)")
    Format format = Format.TEXT;

    boolean json() {
        return format == Format.JSON;
    }

    static String pretty(JsonNode value) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
