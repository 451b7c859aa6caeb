package dev.stagecoach.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "report", description = "Print a run's Markdown execution report.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN")
    String runId;

    @Mixin
    ServerOption server;

    @Override
    public Integer call() {
        try {
            System.out.print(server.client().report(runId));
            return Stagecoach.OK;
        } catch (ApiClient.ApiException e) {
            return Errors.print(e);
        }
    }
}
