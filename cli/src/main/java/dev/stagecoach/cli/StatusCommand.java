package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "Show a run's state as JSON. Exit 0 when it succeeded, 1 when it failed or is not finished.")
final class StatusCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN")
    String runId;

    @Mixin
    ServerOption server;

    @Override
    public Integer call() throws Exception {
        try {
            var run = server.client().run(runId);
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(run));
            return "SUCCEEDED".equals(run.path("status").asText()) ? Stagecoach.OK : Stagecoach.FAILED;
        } catch (ApiClient.ApiException e) {
            return Errors.print(e);
        }
    }
}
