package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = "Print what a run's stages printed (of STAGE only, if given); --follow prints each new line until the run ends.")
final class LogsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN")
    String runId;

    @Parameters(index = "1", paramLabel = "STAGE", arity = "0..1")
    String stage;

    @Option(names = "--attempt", description = "That attempt of STAGE (default: every attempt)")
    Integer attempt;

    @Option(names = {"-f", "--follow"}, description = "Keep printing lines as they are printed, until the run ends")
    boolean follow;

    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        if (attempt != null && stage == null) {
            System.err.println("error: --attempt needs a STAGE");
            return Stagecoach.BAD_INPUT;
        }
        ApiClient api = server.client();
        try {
            if (follow) {
                LinePrinter printer = new LinePrinter(System.out, stage == null);
                api.follow("/api/runs/" + runId + "/logs/stream" + (stage == null ? "" : "?stage=" + java.net.URLEncoder.encode(stage,
                        java.nio.charset.StandardCharsets.UTF_8)), chunk -> {
                            if (output.json()) {
                                System.out.println(chunk.toString());
                            } else {
                                printer.print(chunk);
                            }
                        });
                return Stagecoach.OK;
            }
            JsonNode logs = attempt != null ? api.logs(runId, stage, attempt) : api.logs(runId, null, null);
            if (output.json()) {
                System.out.println(OutputOption.pretty(logs));
                return Stagecoach.OK;
            }
            LinePrinter printer = new LinePrinter(System.out, stage == null);
            if (attempt != null) {
                printer.print(logs);
            } else {
                for (JsonNode one : logs.path("attempts")) {
                    if (stage == null || stage.equals(one.path("stage").asText())) {
                        printer.print(one);
                    }
                }
            }
            return Stagecoach.OK;
        } catch (ApiClient.ApiException e) {
            return Errors.print(e);
        }
    }

    /** Prints lines under a header per attempt, and says where older lines were dropped. */
    static final class LinePrinter {
        private final PrintStream out;
        private final boolean prefixStage;
        private String current;

        LinePrinter(PrintStream out, boolean prefixStage) {
            this.out = out;
            this.prefixStage = prefixStage;
        }

        void print(JsonNode attemptOrChunk) {
            String stage = attemptOrChunk.path("stage").asText();
            String key = stage + "/" + attemptOrChunk.path("attempt").asInt();
            if (!key.equals(current)) {
                current = key;
                out.println("==> " + stage + " (attempt " + attemptOrChunk.path("attempt").asInt() + ") <==");
                long dropped = attemptOrChunk.path("dropped").asLong();
                if (dropped > 0) {
                    out.println("... " + dropped + " earlier lines were dropped (the scheduler keeps the newest of each attempt)");
                }
            }
            for (JsonNode line : attemptOrChunk.path("lines")) {
                out.println(prefixStage ? stage + " | " + line.path("text").asText() : line.path("text").asText());
            }
        }
    }
}
