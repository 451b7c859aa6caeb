package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", description = "Who registered, started, cancelled, approved, rejected and resumed what, newest first (an operator token sees the pipelines it may reach, an admin token all).")
final class AuditCommand implements Callable<Integer> {

    @Option(names = "--since", description = "Entries since: an age (90m, 2h, 7d) or an instant (2026-12-01T08:00:00Z)")
    String since;

    @Option(names = "--pipeline", description = "Only entries about this pipeline")
    String pipeline;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many entries (1-500, default ${DEFAULT-VALUE})")
    int limit;

    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("since", since);
        query.put("pipeline", pipeline);
        query.put("limit", Integer.toString(limit));
        try {
            JsonNode answer = server.client().audit(query);
            if (output.json()) {
                System.out.println(OutputOption.pretty(answer));
                return Stagecoach.OK;
            }
            String row = "%-20s  %-8s  %-20s  %-16s  %-20s  %-36s  %s%n";
            System.out.printf(row, "AT", "ACTION", "PIPELINE", "TOKEN", "BY", "RUN", "DETAIL");
            for (JsonNode entry : answer.path("entries")) {
                System.out.printf(row, entry.path("at").asText().replaceFirst("\\.\\d+Z$", "Z"), entry.path("action").asText(),
                        entry.path("pipeline").asText(), token(entry), entry.path("by").asText(), entry.path("runId").asText(""),
                        detail(entry));
            }
            return Stagecoach.OK;
        } catch (ApiClient.ApiException e) {
            return Errors.print(e);
        }
    }

    private static String token(JsonNode entry) {
        return entry.path("token").isTextual() ? entry.path("token").asText() + " (" + entry.path("role").asText() + ")" : "-";
    }

    private static String detail(JsonNode entry) {
        StringBuilder text = new StringBuilder();
        if (entry.path("stage").isTextual()) {
            text.append("stage ").append(entry.path("stage").asText());
        }
        for (String field : new String[] {"comment", "detail"}) {
            if (entry.path(field).isTextual()) {
                text.append(text.isEmpty() ? "" : "; ").append(entry.path(field).asText());
            }
        }
        return text.toString();
    }
}
