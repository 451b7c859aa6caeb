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

    /** @param token the scheduler's admin token; null in files of stacks from before API tokens */
    record Contents(String bootstrapServers, Map<String, Integer> ports, Map<String, Long> pids, String token) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    StackFile(Path stateDir) {
        this.file = stateDir.resolve("stack.json");
    }

    void write(String bootstrapServers, Map<String, Integer> ports, Map<String, Long> pids, String token) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), new Contents(bootstrapServers, ports, pids, token));
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
