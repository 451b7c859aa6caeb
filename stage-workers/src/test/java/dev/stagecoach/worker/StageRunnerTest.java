package dev.stagecoach.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.Outcome;
import dev.stagecoach.events.ResultType;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.SecretTextPart;
import dev.stagecoach.events.SecretTextPartKind;
import dev.stagecoach.events.StageResult;
import dev.stagecoach.secrets.SealedParameters;
import dev.stagecoach.secrets.SecretKeyRing;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real bash processes, no Kafka: what a worker does with one command. */
class StageRunnerTest {

    static final SecretKeyRing KEYS = SecretKeyRing.of(Optional.of(SecretKeyRing.generate("test")), Optional.empty());

    @TempDir
    Path work;
    final RecordingSink sink = new RecordingSink();
    final Map<String, String> workerEnvironment = new HashMap<>();
    final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        heartbeats.shutdownNow();
    }

    StageRunner runner() {
        return runner(8192);
    }

    StageRunner runner(int maxLineChars) {
        ShellStage shell = new ShellStage(new Workspaces(work.resolve("runs"), false, Duration.ofHours(2), Clock.systemUTC()),
                new ArtifactStore(work.resolve("artifacts"), Duration.ofDays(7), Clock.systemUTC()), maxLineChars);
        CommandSecrets secrets = new CommandSecrets(new WorkerSecrets(Optional.of(work.resolve("secrets")), workerEnvironment::get), KEYS);
        return new StageRunner(List.of(shell, new NoopStage()), secrets, sink, Clock.systemUTC(), "w1", heartbeats, 3);
    }

    static StageCommand command(String script, Map<String, String> env, long timeoutMillis, List<String> secrets) {
        return StageCommand.newBuilder().setRunId("run-1").setStage("build").setAttempt(1).setAttemptId("run-1/build/1")
                .setAction(CommandAction.EXECUTE).setKind("shell").setCommand(script).setEnv(env)
                .setSecretValues(secrets).setTimeoutMillis(timeoutMillis).setHeartbeatMillis(100)
                .setIssuedAt(Instant.now()).build();
    }

    @Test
    void successfulScriptReportsStartThenOneFinishWithTheLastLines() {
        runner().execute(command("for i in 1 2 3 4 5; do echo line $i; done", Map.of(), 10_000, List.of()));

        assertThat(sink.types()).first().isEqualTo(ResultType.STARTED);
        assertThat(sink.types()).filteredOn(t -> t == ResultType.FINISHED).hasSize(1);
        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(sink.finished().getExitCode()).isZero();
        assertThat(sink.finished().getOutputTail()).containsExactly("line 3", "line 4", "line 5");
        assertThat(sink.loggedLines()).containsExactly("line 1", "line 2", "line 3", "line 4", "line 5");
    }

    @Test
    void aLineLongerThanTheLimitIsCutWithAMarkerAndTheStageGoesOn() {
        runner(100).execute(command("head -c 5000000 /dev/zero | tr '\\0' x; echo; echo after", Map.of(), 30_000, List.of()));

        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(sink.loggedLines()).containsExactly(
                "x".repeat(100) + " [stagecoach: line cut at 100 of 5000000 characters (stagecoach.worker.max-log-line-chars)]", "after");
    }

    @Test
    void failingCommandInsideTheScriptFailsTheStage() {
        runner().execute(command("false\necho not reached", Map.of(), 10_000, List.of()));
        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(sink.finished().getExitCode()).isEqualTo(1);
        assertThat(sink.finished().getError()).isEqualTo("exited with code 1");
        assertThat(sink.loggedLines()).doesNotContain("not reached");
    }

    @Test
    void parametersArriveAsEnvironmentAndAreNeverEvaluated() {
        Path marker = work.resolve("pwned");
        String hostile = "$(touch " + marker + ")`touch " + marker + "`;touch " + marker;
        runner().execute(command("echo \"$PARAM_X\"", Map.of("PARAM_X", hostile), 10_000, List.of()));
        assertThat(sink.finished().getOutputTail()).containsExactly(hostile);
        assertThat(marker).doesNotExist();
    }

    @Test
    void secretsAndSealedParametersArePutTogetherHereAndMaskedInLogsAndResults() throws Exception {
        Files.createDirectories(work.resolve("secrets"));
        Files.writeString(work.resolve("secrets/DEPLOY_KEY"), "from-a-file\n");
        workerEnvironment.put("STAGECOACH_SECRET_API_TOKEN", "from-the-environment");
        workerEnvironment.put("STAGECOACH_SECRET_DEPLOY_KEY", "not-this-one: the file wins");
        StageCommand command = StageCommand.newBuilder(command("echo \"$AUTH|$KEY|$PARAM_PIN\"", Map.of("PLAIN", "x"), 10_000, List.of()))
                .setSecretEnv(Map.of(
                        "AUTH", List.of(text("Bearer "), new SecretTextPart(SecretTextPartKind.SECRET, "API_TOKEN", null)),
                        "KEY", List.of(new SecretTextPart(SecretTextPartKind.SECRET, "DEPLOY_KEY", null), text("!")),
                        "PARAM_PIN", List.of(sealed("pin", "4711-pin"))))
                .build();

        runner().execute(command);

        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(sink.loggedLines()).containsExactly("Bearer ***|***!|***");
        assertThat(sink.finished().toString()).doesNotContain("from-the-environment", "from-a-file", "4711-pin");
        // What the stage saw, unmasked: written by the stage to a file the test reads.
        runner().execute(StageCommand.newBuilder(command).setAttemptId("run-1/build/2").setAttempt(2)
                .setCommand("printf '%s|%s|%s' \"$AUTH\" \"$KEY\" \"$PARAM_PIN\" > " + work.resolve("seen")).build());
        assertThat(Files.readString(work.resolve("seen"))).isEqualTo("Bearer from-the-environment|from-a-file!|4711-pin");
    }

    @Test
    void anAttemptWhoseSecretThisWorkerCannotGiveFailsSayingWhatToSet() {
        StageCommand missing = StageCommand.newBuilder(command("echo never", Map.of(), 10_000, List.of()))
                .setSecretEnv(Map.of("KEY", List.of(new SecretTextPart(SecretTextPartKind.SECRET, "NOT_HERE", null)))).build();
        runner().execute(missing);
        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(sink.finished().getError()).isEqualTo("secrets.NOT_HERE is not set on this worker; give it a file NOT_HERE in "
                + work.resolve("secrets") + " or the environment variable STAGECOACH_SECRET_NOT_HERE");
        assertThat(sink.loggedLines()).isEmpty();

        SecretKeyRing otherDeployment = SecretKeyRing.of(Optional.of(SecretKeyRing.generate("test")), Optional.empty());
        StageCommand foreign = StageCommand.newBuilder(command("echo never", Map.of(), 10_000, List.of())).setAttemptId("run-1/build/2")
                .setSecretEnv(Map.of("PARAM_PIN", List.of(new SecretTextPart(SecretTextPartKind.SEALED_PARAMETER,
                        SealedParameters.seal(otherDeployment, "run-1", "pin", "1234"), "pin")))).build();
        runner().execute(foreign);
        assertThat(sink.lastFinished().getError()).isEqualTo("secret parameter \"pin\" does not open with key \"test\": "
                + "it was altered, or sealed for another run or parameter");
    }

    @Test
    void aSecretNameThatIsAPathIsNotLookedUp() throws Exception {
        Files.createDirectories(work.resolve("secrets"));
        Files.writeString(work.resolve("outside"), "not a secret");
        StageCommand command = StageCommand.newBuilder(command("echo \"$X\"", Map.of(), 10_000, List.of()))
                .setSecretEnv(Map.of("X", List.of(new SecretTextPart(SecretTextPartKind.SECRET, "../outside", null)))).build();
        runner().execute(command);
        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(sink.finished().getError()).startsWith("secrets.../outside is not set on this worker");
    }

    static SecretTextPart text(String text) {
        return new SecretTextPart(SecretTextPartKind.TEXT, text, null);
    }

    static SecretTextPart sealed(String parameter, String value) {
        return new SecretTextPart(SecretTextPartKind.SEALED_PARAMETER, SealedParameters.seal(KEYS, "run-1", parameter, value), parameter);
    }

    @Test
    void timeoutKillsTheWholeProcessTree() throws Exception {
        Path pidFile = work.resolve("child.pid");
        runner().execute(command("sleep 300 &\necho $! > " + pidFile + "\nwait", Map.of(), 1_000, List.of()));

        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.TIMED_OUT);
        long child = Long.parseLong(Files.readString(pidFile).trim());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void cancelStopsARunningAttempt() {
        StageRunner runner = runner();
        StageCommand command = command("echo waiting\nsleep 300", Map.of(), 600_000, List.of());
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> runner.execute(command));
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.runningCount() == 1 && sink.types().contains(ResultType.STARTED));

        runner.cancel(StageCommand.newBuilder(command).setAction(CommandAction.CANCEL).build());

        running.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void metricsAndOutputsPrintedByTheScriptTravelInTheResult() {
        runner().execute(command("echo '::metric coverage=87.5'\necho '::metric flaky=abc'\necho \"::output token=$T\"",
                Map.of("T", "s3"), 10_000, List.of("s3")));
        assertThat(sink.finished().getMetrics()).containsExactly(Map.entry("coverage", 87.5));
        assertThat(sink.finished().getOutputs()).containsExactly(Map.entry("token", "***"));
        assertThat(sink.loggedLines()).contains("[stagecoach] ignored metric flaky: \"abc\" is not a number");
    }

    @Test
    void aFailedScriptsDeclaredArtifactsAreKeptAndOneThatIsMissingIsAWarning() {
        StageCommand command = StageCommand.newBuilder(command("mkdir -p out && printf 'hello\\n' > out/report.txt\nexit 4",
                Map.of(), 10_000, List.of())).setArtifacts(List.of("out/*.txt", "coverage.xml")).build();

        runner().execute(command);

        StageResult finished = sink.finished();
        assertThat(finished.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(finished.getArtifacts()).singleElement().satisfies(kept -> {
            assertThat(kept.getPath()).isEqualTo("out/report.txt");
            assertThat(kept.getSha256()).isEqualTo(ArtifactStoreTest.HELLO_SHA256);
            assertThat(Path.of(URI.create(kept.getLocation()))).hasContent("hello");
        });
        String warning = "[stagecoach] warning: artifact \"coverage.xml\" matched no file";
        assertThat(finished.getOutputTail()).endsWith(warning);
        assertThat(sink.loggedLines()).endsWith(warning);
    }

    @Test
    void heartbeatsAreSentWhileTheStageWorks() {
        runner().execute(command("sleep 0.5", Map.of(), 10_000, List.of()));
        assertThat(sink.types()).contains(ResultType.HEARTBEAT);
        assertThat(sink.types()).last().isEqualTo(ResultType.FINISHED);
    }

    @Test
    void anAttemptCancelledBeforeItReachesThisWorkerNeverStarts() {
        StageRunner runner = runner();
        StageCommand command = command("echo should not run", Map.of(), 10_000, List.of());
        runner.cancel(StageCommand.newBuilder(command).setAction(CommandAction.CANCEL).build());
        runner.execute(command);
        assertThat(sink.types()).isEmpty();
    }

    @Test
    void theSameAttemptDeliveredTwiceRunsOnce() {
        StageRunner runner = runner();
        StageCommand command = command("echo once", Map.of(), 10_000, List.of());
        runner.execute(command);
        runner.execute(command);
        assertThat(sink.types()).filteredOn(t -> t == ResultType.STARTED).hasSize(1);
    }

    @Test
    void unknownKindFailsWithTheKindsThisWorkerKnows() {
        runner().execute(StageCommand.newBuilder(command("", Map.of(), 1000, List.of())).setKind("teleport").build());
        assertThat(sink.finished().getError()).isEqualTo("unknown stage kind \"teleport\"; this worker runs: noop, shell");
    }
}
