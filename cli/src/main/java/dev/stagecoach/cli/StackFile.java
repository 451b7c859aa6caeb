package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a running local stack left behind for later commands: where things listen, which processes to stop. */
final class StackFile {

    /**
     * @param token the scheduler's admin token; null in files of stacks from before API tokens
     * @param workers the pool of each worker process; null in files from before `up` could restart one
     * @param kafkaConfig the client properties file given to `up --kafka-config`, or null when the stack runs its own broker
     */
    record Contents(String bootstrapServers, Map<String, Integer> ports, Map<String, Long> pids, String token,
                    Map<String, String> workers, String kafkaConfig) {

        /** The recorded processes that no longer run, in the order they were started. */
        List<String> ended() {
            return pids.entrySet().stream().filter(e -> !runs(e.getValue())).map(Map.Entry::getKey).toList();
        }
    }

    /**
     * Whether a process runs. One killed a moment ago may still be a zombie, which the JDK
     * counts as alive: its parent, the `up` that started it, has exited, and nobody has reaped it yet.
     */
    static boolean runs(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // pid (command) STATE ...: the command may hold spaces and parentheses, the state follows the last ')'.
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException noProcFileSystem) {
            return true;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    StackFile(Path stateDir) {
        this.file = stateDir.resolve("stack.json");
    }

    void write(Contents contents) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), contents);
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
