package dev.stagecoach.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Stops a local stack's processes as `down` and a test's stack do: every service at once, as
 * none waits for another, and the broker last, since the services' goodbyes (offset commits,
 * leaving their groups) need it. Each gets a graceful stop (SIGTERM) and is killed when it has
 * not ended within the grace period. A stack stopped one process after the other took 18 s here, 12 s so.
 */
final class StackShutdown {

    private static final Duration GRACE = Duration.ofSeconds(15);
    /** How long the kernel may take to end a process after SIGKILL, before we stop waiting. */
    private static final Duration KILLED_WITHIN = Duration.ofSeconds(15);

    private StackShutdown() {
    }

    /**
     * @param processes by name, the broker under {@link LocalStack#KAFKA}; a process that already ended is skipped
     * @param stopped told each name once its process has ended
     */
    static void stop(Map<String, ProcessHandle> processes, Consumer<String> stopped) {
        stop(processes, GRACE, stopped);
    }

    static void stop(Map<String, ProcessHandle> processes, Duration grace, Consumer<String> stopped) {
        Map<String, ProcessHandle> services = new LinkedHashMap<>(processes);
        ProcessHandle broker = services.remove(LocalStack.KAFKA);
        stopTogether(services, grace, stopped);
        if (broker != null) {
            stopTogether(Map.of(LocalStack.KAFKA, broker), grace, stopped);
        }
    }

    private static void stopTogether(Map<String, ProcessHandle> processes, Duration grace, Consumer<String> stopped) {
        Map<String, CompletableFuture<ProcessHandle>> exits = new LinkedHashMap<>();
        processes.forEach((name, process) -> {
            if (process.isAlive()) {
                process.destroy();
                exits.put(name, process.onExit());
            }
        });
        long deadline = System.nanoTime() + grace.toNanos();
        exits.forEach((name, exit) -> {
            awaitEnd(processes.get(name), exit, deadline);
            stopped.accept(name);
        });
    }

    private static void awaitEnd(ProcessHandle process, CompletableFuture<ProcessHandle> exit, long deadline) {
        try {
            exit.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            exit.orTimeout(KILLED_WITHIN.toSeconds(), TimeUnit.SECONDS).exceptionally(error -> null).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
