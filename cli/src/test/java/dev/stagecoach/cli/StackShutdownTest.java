package dev.stagecoach.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: a stack's are stopped together, the broker after them, and one that ignores SIGTERM is killed. */
class StackShutdownTest {

    /** Bash runs a trap only between commands: short sleeps keep it answering. */
    private static final String IDLE = "while true; do sleep 0.1; done";

    private final List<Process> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void theServicesStopTogetherAndTheBrokerLast(@TempDir Path dir) throws Exception {
        List<String> services = List.of(LocalStack.SCHEDULER, LocalStack.WORKER, LocalStack.NOTIFIER);
        // Told to stop, a service waits (5 s at most) until all three were told, and exits 3 if they were
        // not: one after the other, the first would. The broker exits 3 if a service was still running.
        Map<String, Process> stack = new LinkedHashMap<>();
        stack.put(LocalStack.KAFKA, start(dir, "trap 'for s in %s; do [ -f ended-$s ] || exit 3; done; exit 0' TERM; %s"
                .formatted(String.join(" ", services), IDLE)));
        for (String service : services) {
            stack.put(service, start(dir, ("trap 'touch told-%1$s; for i in $(seq 50); do [ $(ls told-* | wc -l) -eq 3 ] && break;"
                    + " sleep 0.1; done; [ $(ls told-* | wc -l) -eq 3 ] || exit 3; touch ended-%1$s; exit 0' TERM; %2$s")
                    .formatted(service, IDLE)));
        }
        List<String> stopped = new CopyOnWriteArrayList<>();

        StackShutdown.stop(handles(stack), Duration.ofSeconds(30), stopped::add);

        assertThat(stopped).containsExactlyInAnyOrder(LocalStack.KAFKA, LocalStack.SCHEDULER, LocalStack.WORKER, LocalStack.NOTIFIER)
                .last().isEqualTo(LocalStack.KAFKA);
        stack.forEach((name, process) -> assertThat(process.exitValue()).as(name).isZero());
    }

    @Test
    void aProcessThatIgnoresSigtermIsKilledAfterTheGracePeriod(@TempDir Path dir) throws Exception {
        ProcessHandle stubborn = start(dir, "trap '' TERM; " + IDLE).toHandle();
        List<String> stopped = new CopyOnWriteArrayList<>();

        StackShutdown.stop(Map.of(LocalStack.SCHEDULER, stubborn), Duration.ofMillis(500), stopped::add);

        assertThat(stopped).containsExactly(LocalStack.SCHEDULER);
        assertThat(stubborn.isAlive()).isFalse();
    }

    @Test
    void aProcessThatAlreadyEndedIsLeftOut() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        started.add(ended);
        ended.waitFor();
        List<String> stopped = new CopyOnWriteArrayList<>();

        StackShutdown.stop(Map.of(LocalStack.WORKER, ended.toHandle()), Duration.ofSeconds(5), stopped::add);

        assertThat(stopped).isEmpty();
    }

    /** Returns once the script's trap is set: a SIGTERM before that would end bash at once. */
    private Process start(Path dir, String script) throws Exception {
        String ready = "ready-" + UUID.randomUUID();
        Process process = new ProcessBuilder("bash", "-c", script.replace(IDLE, "touch " + ready + "; " + IDLE))
                .directory(dir.toFile()).start();
        started.add(process);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve(ready)));
        return process;
    }

    private static Map<String, ProcessHandle> handles(Map<String, Process> processes) {
        Map<String, ProcessHandle> handles = new LinkedHashMap<>();
        processes.forEach((name, process) -> handles.put(name, process.toHandle()));
        return handles;
    }
}
