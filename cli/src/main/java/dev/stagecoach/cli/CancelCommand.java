package dev.stagecoach.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", description = "Cancel a run: running stages are killed, the run ends CANCELLED.")
final class CancelCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN")
    String runId;

    @Mixin
    ServerOption server;

    @Override
    public Integer call() {
        try {
            server.client().cancel(runId, System.getProperty("user.name", "cli"));
            System.out.println("cancel requested for run " + runId);
            return Stagecoach.OK;
        } catch (ApiClient.ApiException e) {
            return Errors.print(e);
        }
    }
}
