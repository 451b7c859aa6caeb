package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/** Follows a run until it ends, printing each stage's changes as they happen. */
final class RunWatcher {

    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private static final Duration POLL = Duration.ofMillis(250);

    private final ApiClient api;
    private final PrintStream out;

    RunWatcher(ApiClient api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    JsonNode watch(String runId, Duration limit) {
        Map<String, String> seen = new HashMap<>();
        Instant giveUp = Instant.now().plus(limit);
        while (true) {
            JsonNode run = current(runId);
            if (run != null) {
                for (JsonNode stage : run.path("stages")) {
                    String name = stage.path("name").asText();
                    String line = stage.path("status").asText() + "#" + stage.path("attempts").asInt();
                    if (!line.equals(seen.put(name, line))) {
                        out.println(describe(stage));
                    }
                }
                if (TERMINAL.contains(run.path("status").asText())) {
                    out.println("run " + runId + " " + run.path("status").asText() + ": " + run.path("reason").asText(""));
                    return run;
                }
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new ApiClient.ApiException(0, "run " + runId + " did not finish within " + limit.toMinutes() + " min", java.util.List.of());
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    private JsonNode current(String runId) {
        try {
            return api.run(runId);
        } catch (ApiClient.ApiException e) {
            if (e.status == 404 || e.status == 503) {
                return null;
            }
            throw e;
        }
    }

    private static String describe(JsonNode stage) {
        String status = stage.path("status").asText();
        String mark = switch (status) {
            case "SUCCEEDED" -> "✔";
            case "FAILED" -> "✘";
            case "RUNNING", "DISPATCHED" -> "▶";
            case "RETRY_WAIT" -> "↻";
            case "AWAITING_APPROVAL" -> "?";
            case "SKIPPED", "CANCELLED" -> "-";
            default -> "·";
        };
        StringBuilder line = new StringBuilder(String.format("  %s %-16s %-10s", mark, stage.path("name").asText(), status));
        if (stage.path("attempts").asInt() > 1) {
            line.append(" attempt ").append(stage.path("attempts").asInt());
        }
        if (!stage.path("durationMillis").isNull() && stage.has("durationMillis")) {
            line.append(String.format(" %6d ms", stage.path("durationMillis").asLong()));
        }
        if (!stage.path("error").isNull() && stage.has("error")) {
            line.append("  ").append(stage.path("error").asText());
        }
        return line.toString();
    }
}
