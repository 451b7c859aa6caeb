package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** What a running local stack left behind for later commands: where things listen, which processes to stop. */
final class StackFile {

    record Contents(String bootstrapServers, Map<String, Integer> ports, Map<String, Long> pids) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    StackFile(Path stateDir) {
        this.file = stateDir.resolve("stack.json");
    }

    void write(String bootstrapServers, Map<String, Integer> ports, Map<String, Long> pids) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), new Contents(bootstrapServers, ports, pids));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<Contents> read() {
        try {
            return Files.exists(file) ? Optional.of(JSON.readValue(file.toFile(), Contents.class)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
