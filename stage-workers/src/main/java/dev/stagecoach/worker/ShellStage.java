package dev.stagecoach.worker;

import dev.stagecoach.events.ArtifactRef;
import dev.stagecoach.events.Outcome;
import dev.stagecoach.events.StageCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a stage's script with bash in the run's working directory. The script is written to a
 * file and parameters arrive as environment variables, so no value is ever parsed as shell.
 * On timeout or cancel the whole process tree is killed, not just bash. However the attempt
 * ends, the files it declares as artifacts are kept.
 */
public final class ShellStage implements StageKind {

    private final Workspaces workspaces;
    private final ArtifactStore artifacts;
    private final int maxLineChars;

    /** @param maxLineChars the longest line of output kept; longer ones are cut ({@link BoundedLines}) */
    ShellStage(Workspaces workspaces, ArtifactStore artifacts, int maxLineChars) {
        this.workspaces = workspaces;
        this.artifacts = artifacts;
        this.maxLineChars = maxLineChars;
    }

    @Override
    public String name() {
        return "shell";
    }

    @Override
    public AttemptOutcome execute(StageCommand command, RunningAttempt attempt) throws IOException, InterruptedException {
        Path workDir = workspaces.enter(command.getRunId());
        try {
            return run(command, attempt, workDir);
        } finally {
            workspaces.leave(command.getRunId());
        }
    }

    private AttemptOutcome run(StageCommand command, RunningAttempt attempt, Path workDir) throws IOException, InterruptedException {
        Path scripts = Files.createDirectories(workDir.resolve(".stagecoach"));
        Path script = scripts.resolve(FileNames.safe(command.getStage()) + "-" + command.getAttempt() + ".sh");
        Files.writeString(script, command.getCommand() == null ? "" : command.getCommand());

        ProcessBuilder builder = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", script.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(command.getEnv());
        builder.environment().put("STAGECOACH_WORKSPACE", workDir.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        attempt.onCancel(() -> killTree(process));

        Thread reader = new Thread(() -> readLines(process, attempt, maxLineChars), "output-" + command.getAttemptId());
        reader.setDaemon(true);
        reader.start();

        boolean exited = process.waitFor(command.getTimeoutMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            killTree(process);
        }
        process.waitFor();
        reader.join(TimeUnit.SECONDS.toMillis(5));
        // Kept whatever the outcome: the reports of a failed test run are the ones wanted most.
        List<ArtifactRef> kept = artifacts.keep(command, workDir, attempt::line);
        List<String> tail = attempt.tail();
        if (attempt.cancelled()) {
            return new AttemptOutcome(Outcome.CANCELLED, process.exitValue(), "cancelled", tail, Map.of(), Map.of(), kept);
        }
        if (!exited) {
            return new AttemptOutcome(Outcome.TIMED_OUT, null, "timed out after " + command.getTimeoutMillis()
                    + " ms; the process tree was killed", tail, Map.of(), Map.of(), kept);
        }
        int exitCode = process.exitValue();
        return new AttemptOutcome(exitCode == 0 ? Outcome.SUCCEEDED : Outcome.FAILED, exitCode,
                exitCode == 0 ? null : "exited with code " + exitCode, tail, attempt.metrics(), attempt.outputs(), kept);
    }

    private static void readLines(Process process, RunningAttempt attempt, int maxLineChars) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            BoundedLines lines = new BoundedLines(reader, maxLineChars);
            String line;
            while ((line = lines.next()) != null) {
                attempt.line(line);
            }
        } catch (IOException e) {
            attempt.line("[stagecoach] output stopped: " + e.getMessage());
        }
    }

    /** Children first, collected before anything dies, so that orphans cannot slip away to init. */
    static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }
}
