package dev.stagecoach.cli;

import dev.stagecoach.pipeline.InvalidParametersException;
import dev.stagecoach.pipeline.LoadResult;
import dev.stagecoach.pipeline.PipelineLoader;
import dev.stagecoach.pipeline.PipelinePlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", description = "Print what a run would do: waves of stages, what runs at once, timeouts, retry waits, approvals.")
final class PlanCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A run parameter; repeat for more")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        LoadResult loaded = PipelineLoader.load(Files.readString(file), file.toString());
        loaded.diagnostics().forEach(System.err::println);
        if (!loaded.ok()) {
            return Stagecoach.FAILED;
        }
        try {
            System.out.print(PipelinePlan.of(loaded.orThrow(), parameters).render());
            return Stagecoach.OK;
        } catch (InvalidParametersException e) {
            e.problems().forEach(System.err::println);
            return Stagecoach.BAD_INPUT;
        }
    }
}
