package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "runs", description = "List runs, newest first, with the API's filters; --cursor pages on.")
final class RunsCommand implements Callable<Integer> {

    @Option(names = "--pipeline", description = "Only runs of this pipeline")
    String pipeline;

    @Option(names = "--status", description = "RUNNING, SUCCEEDED, FAILED or CANCELLED")
    String status;

    @Option(names = "--trigger", description = "MANUAL, CRON, WEBHOOK, EVENT or CONDITIONAL")
    String trigger;

    @Option(names = "--since", description = "Runs created since: an age (90m, 2h, 7d) or an instant (2026-12-01T08:00:00Z)")
    String since;

    @Option(names = "--until", description = "Runs created before: an age or an instant")
    String until;

    @Option(names = "--limit", defaultValue = "20", description = "At most this many runs (1-500, default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--cursor", description = "The page after the one that printed this cursor")
    String cursor;

    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("pipeline", pipeline);
        query.put("status", status);
        query.put("trigger", trigger);
        query.put("since", since);
        query.put("until", until);
        query.put("limit", Integer.toString(limit));
        query.put("cursor", cursor);
        try {
            JsonNode page = server.client().runs(query);
            if (output.json()) {
                System.out.println(OutputOption.pretty(page));
                return Stagecoach.OK;
            }
            System.out.printf("%-36s  %-20s  %-9s  %-11s  %-7s  %-20s  %s%n", "RUN", "PIPELINE", "STATUS", "TRIGGER", "STAGES",
                    "CREATED", "TOOK");
            for (JsonNode run : page.path("runs")) {
                System.out.printf("%-36s  %-20s  %-9s  %-11s  %-7s  %-20s  %s%n", run.path("runId").asText(),
                        run.path("pipeline").asText(), run.path("status").asText(), run.path("trigger").asText("").toLowerCase(),
                        run.path("stagesDone").asInt() + "/" + run.path("stagesTotal").asInt(),
                        run.path("createdAt").asText().replaceFirst("\\.\\d+Z$", "Z"), took(run));
            }
            if (!page.path("next").isNull() && page.has("next")) {
                System.out.println("more: stagecoach runs --cursor " + page.path("next").asText() + " (same filters)");
            }
            return Stagecoach.OK;
        } catch (ApiClient.ApiException e) {
            return Errors.print(e);
        }
    }

    private static String took(JsonNode run) {
        if (run.path("finishedAt").isNull() || !run.has("finishedAt")) {
            return "";
        }
        return Durations.text(Duration.between(Instant.parse(run.path("createdAt").asText()), Instant.parse(run.path("finishedAt").asText())));
    }
}
