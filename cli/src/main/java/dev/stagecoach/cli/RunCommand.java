package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "Register a pipeline file and start a run. With --wait, follow it and exit 0 only if it succeeded.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A run parameter; repeat for more")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--wait", description = "Follow the run until it ends")
    boolean waitForEnd;

    @Option(names = "--timeout", defaultValue = "PT2H30M", description = "How long --wait follows a run (ISO-8601, default PT2H30M)")
    Duration timeout;

    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    /** @param runId null when no run was started */
    record Outcome(int exitCode, String runId) {
    }

    @Override
    public Integer call() throws IOException {
        return run(server.client(), file, parameters, waitForEnd, timeout, output.json()).exitCode();
    }

    static Outcome run(ApiClient api, Path file, Map<String, String> parameters, boolean waitForEnd, Duration timeout) throws IOException {
        return run(api, file, parameters, waitForEnd, timeout, false);
    }

    /** @param json print only JSON on standard output (the started run, or with --wait the ended one); the story goes to standard error */
    static Outcome run(ApiClient api, Path file, Map<String, String> parameters, boolean waitForEnd, Duration timeout,
                       boolean json) throws IOException {
        java.io.PrintStream story = json ? System.err : System.out;
        try {
            JsonNode registered = api.register(Files.readString(file), file.toString());
            registered.path("warnings").forEach(w -> story.println(w.asText()));
            JsonNode started = api.start(registered.path("name").asText(), parameters, System.getProperty("user.name", "cli"));
            String runId = started.path("runId").asText();
            story.println("run " + runId + " of " + registered.path("name").asText()
                    + " (revision " + registered.path("revision").asInt() + ") started");
            if (!waitForEnd) {
                System.out.println(json ? OutputOption.pretty(started) : runId);
                return new Outcome(Stagecoach.OK, runId);
            }
            JsonNode run = new RunWatcher(api, story, !json && Terminal.isInteractive()).watch(runId, timeout);
            if (json) {
                System.out.println(OutputOption.pretty(run));
            }
            return new Outcome("SUCCEEDED".equals(run.path("status").asText()) ? Stagecoach.OK : Stagecoach.FAILED, runId);
        } catch (ApiClient.ApiException e) {
            return new Outcome(Errors.print(e), null);
        }
    }
}
