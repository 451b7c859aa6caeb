package dev.stagecoach.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code up} and {@code down} commands as a user types them, on a stack of their own (its
 * state directory under target/): {@code up} on a stack whose processes were killed -9 starts
 * again what ended, as it was, and leaves the rest running; on a stack none of whose processes
 * runs any more, it starts a new one; on a whole stack, it refuses.
 */
class UpCommandEndToEndIT {

    static final Duration WITHIN = Duration.ofSeconds(60);

    static Path dir;
    static WebhookSink webhook;
    static String previousStackDir;

    @BeforeAll
    static void useAStackDirectoryOfItsOwn() throws Exception {
        dir = Files.createDirectories(Path.of("target", "e2e-up-" + System.currentTimeMillis())).toAbsolutePath();
        previousStackDir = System.getProperty("stagecoach.stack-dir");
        System.setProperty("stagecoach.stack-dir", dir.resolve("stack").toString());
        webhook = new WebhookSink();
    }

    @AfterAll
    static void down() {
        EndToEnd.cli("down");
        if (previousStackDir == null) {
            System.clearProperty("stagecoach.stack-dir");
        } else {
            System.setProperty("stagecoach.stack-dir", previousStackDir);
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    void upStartsAgainWhatAKillEndedAndOnlyThatThenANewStackWhenNothingRuns() throws Exception {
        EndToEnd.CliRun first = EndToEnd.cli("up", "--workers", "default=0,gpu=1");
        assertThat(first.exitCode()).as(first.output()).isZero();
        StackFile.Contents started = stackFile();
        assertThat(started.workers()).containsOnly(Map.entry("worker-gpu-1", "gpu"));

        kill(started, LocalStack.NOTIFIER);
        String gpuWorker = started.workers().entrySet().stream().filter(w -> w.getValue().equals("gpu")).findFirst().orElseThrow().getKey();
        kill(started, gpuWorker);
        EndToEnd.CliRun healed = EndToEnd.cli("up");

        assertThat(healed.exitCode()).as(healed.output()).isZero();
        assertThat(healed.output()).contains("starting " + LocalStack.NOTIFIER + " again (process " + started.pids().get(LocalStack.NOTIFIER)
                + " had ended)", "starting " + gpuWorker + " again").doesNotContain("starting " + LocalStack.SCHEDULER);
        StackFile.Contents after = stackFile();
        assertThat(after.ended()).isEmpty();
        assertThat(after.ports()).isEqualTo(started.ports());
        assertThat(after.token()).isEqualTo(started.token());
        for (String untouched : List.of(LocalStack.KAFKA, LocalStack.SCHEDULER)) {
            assertThat(after.pids().get(untouched)).as(untouched).isEqualTo(started.pids().get(untouched));
        }
        assertThat(after.pids().get(LocalStack.NOTIFIER)).isNotEqualTo(started.pids().get(LocalStack.NOTIFIER));
        // The worker started again serves its pool, and the notifier started again delivers.
        runSucceeds("healed", "gpu");
        await().atMost(WITHIN).until(() -> webhook.deliveries().stream().anyMatch(d -> d.path().equals("/healed")));

        EndToEnd.CliRun again = EndToEnd.cli("up");
        assertThat(again.exitCode()).isEqualTo(Stagecoach.FAILED);
        assertThat(again.output()).contains("a local stack already runs");

        after.pids().keySet().forEach(name -> kill(after, name));
        EndToEnd.CliRun anew = EndToEnd.cli("up");

        assertThat(anew.exitCode()).as(anew.output()).isZero();
        assertThat(anew.output()).contains("had stopped (none of its processes runs); starting it anew");
        assertThat(stackFile().ended()).isEmpty();
        // A new stack, with up's defaults: one default worker.
        runSucceeds("anew", "default");
    }

    private static void runSucceeds(String name, String pool) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "pipeline:\n  name: " + name + "\n" + """
                  stages:
                    - {name: prepare, pool: POOL, run: echo prepared}
                    - {name: train, pool: POOL, run: echo trained}
                  notifications:
                    on_success:
                """.replace("POOL", pool) + "      - webhook: " + webhook.url("/" + name) + "\n");
        EndToEnd.CliRun run = EndToEnd.cli("run", file.toString(), "--wait");
        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    private static StackFile.Contents stackFile() {
        return new StackFile(dir.resolve("stack")).read().orElseThrow();
    }

    /** kill -9, and wait until it is gone. */
    private static void kill(StackFile.Contents stack, String name) {
        ProcessHandle.of(stack.pids().get(name)).ifPresent(process -> {
            process.destroyForcibly();
            try {
                process.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(name + " did not end after kill -9", e);
            }
        });
        await().atMost(WITHIN).until(() -> !StackFile.runs(stack.pids().get(name)));
    }
}
