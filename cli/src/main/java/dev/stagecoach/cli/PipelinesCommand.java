package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "pipelines", description = "List registered pipelines: revision, triggers, next cron fire and last run.")
final class PipelinesCommand implements Callable<Integer> {

    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        try {
            JsonNode pipelines = server.client().pipelines();
            if (output.json()) {
                System.out.println(OutputOption.pretty(pipelines));
                return Stagecoach.OK;
            }
            System.out.printf("%-24s  %-4s  %-30s  %-20s  %s%n", "PIPELINE", "REV", "TRIGGERS", "NEXT CRON FIRE", "LAST RUN");
            for (JsonNode pipeline : pipelines) {
                List<String> triggers = new ArrayList<>();
                pipeline.path("triggers").forEach(t -> triggers.add(t.path("kind").asText()
                        + (t.path("detail").asText("").isEmpty() ? "" : " " + t.path("detail").asText())));
                JsonNode last = pipeline.path("lastRun");
                System.out.printf("%-24s  %-4s  %-30s  %-20s  %s%n", pipeline.path("name").asText(), pipeline.path("revision").asInt(),
                        String.join(", ", triggers), pipeline.path("nextCronFire").asText(""),
                        last.isMissingNode() || last.isNull() ? "-" : last.path("status").asText() + " " + last.path("runId").asText());
            }
            return Stagecoach.OK;
        } catch (ApiClient.ApiException e) {
            return Errors.print(e);
        }
    }
}
