package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "Show a run: its stages, progress and estimated time left. Exit 0 when it succeeded, 1 when it failed or is not finished.")
final class StatusCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN")
    String runId;

    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        try {
            JsonNode run = server.client().run(runId);
            if (output.json()) {
                System.out.println(OutputOption.pretty(run));
            } else {
                print(run);
            }
            return "SUCCEEDED".equals(run.path("status").asText()) ? Stagecoach.OK : Stagecoach.FAILED;
        } catch (ApiClient.ApiException e) {
            return Errors.print(e);
        }
    }

    private static void print(JsonNode run) {
        System.out.println("run " + run.path("runId").asText() + " of " + run.path("pipeline").asText() + " (revision "
                + run.path("revision").asInt() + "): " + run.path("status").asText());
        System.out.println("started by " + run.path("requestedBy").asText("?")
                + (run.hasNonNull("trigger") ? " (" + run.path("trigger").asText().toLowerCase() + ")" : "")
                + " at " + run.path("createdAt").asText()
                + (run.hasNonNull("finishedAt") ? ", ended " + run.path("finishedAt").asText() : ""));
        if (!run.hasNonNull("finishedAt")) {
            System.out.println(RunWatcher.bar(run.path("progress")));
        }
        run.path("stages").forEach(stage -> System.out.println(RunWatcher.describe(stage)));
        if (run.hasNonNull("reason")) {
            System.out.println(run.path("reason").asText());
        }
    }
}
