package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Follows a run until it ends, printing each stage's changes as they happen. On a terminal a
 * progress bar with the estimated time left stays on the last line; anywhere else (a pipe, a
 * CI log) only plain lines are printed, without escape codes.
 */
final class RunWatcher {

    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private static final Duration POLL = Duration.ofMillis(250);

    private static final String CLEAR_LINE = "\r\033[2K";
    private static final int BAR_WIDTH = 24;

    private final ApiClient api;
    private final PrintStream out;
    private final boolean interactive;
    private boolean barShown;

    RunWatcher(ApiClient api, PrintStream out) {
        this(api, out, Terminal.isInteractive());
    }

    /** @param interactive whether {@code out} is a terminal that may redraw a progress bar */
    RunWatcher(ApiClient api, PrintStream out, boolean interactive) {
        this.api = api;
        this.out = out;
        this.interactive = interactive;
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
                        printLine(describe(stage));
                    }
                }
                if (TERMINAL.contains(run.path("status").asText())) {
                    printLine("run " + runId + " " + run.path("status").asText() + ": " + run.path("reason").asText(""));
                    return run;
                }
                if (interactive) {
                    out.print(CLEAR_LINE + bar(run.path("progress")));
                    out.flush();
                    barShown = true;
                }
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new ApiClient.ApiException(0, "run " + runId + " did not finish within " + limit.toMinutes() + " min", java.util.List.of());
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    /** A line above the progress bar: the bar is cleared first and drawn again on the next look. */
    private void printLine(String line) {
        if (barShown) {
            out.print(CLEAR_LINE);
            barShown = false;
        }
        out.println(line);
    }

    /** {@code [#########---------------] 3/8 stages · running deploy · about 2 min left} */
    static String bar(JsonNode progress) {
        int done = progress.path("done").asInt();
        int total = Math.max(1, progress.path("total").asInt());
        int filled = Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
        StringBuilder bar = new StringBuilder("[").append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ")
                .append(done).append('/').append(progress.path("total").asInt()).append(" stages");
        List<String> running = new java.util.ArrayList<>();
        progress.path("running").forEach(r -> running.add(r.asText()));
        if (!running.isEmpty()) {
            bar.append(" · running ").append(String.join(", ", running));
        }
        if (progress.hasNonNull("remainingMillis")) {
            bar.append(" · about ").append(Durations.text(Duration.ofMillis(progress.path("remainingMillis").asLong()))).append(" left");
        }
        return bar.toString();
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

    static String describe(JsonNode stage) {
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
