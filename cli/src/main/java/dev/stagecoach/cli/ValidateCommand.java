package dev.stagecoach.cli;

import dev.stagecoach.pipeline.Diagnostic;
import dev.stagecoach.pipeline.LoadResult;
import dev.stagecoach.pipeline.PipelineLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", description = "Check pipeline files; prints every problem with file:line:column. Exit 0 when all are valid.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Override
    public Integer call() {
        boolean allValid = true;
        for (Path file : files) {
            LoadResult result;
            try {
                result = PipelineLoader.load(Files.readString(file), file.toString());
            } catch (IOException e) {
                System.err.println(file + ": cannot read: " + e.getMessage());
                allValid = false;
                continue;
            }
            result.diagnostics().forEach(d -> (d.severity() == Diagnostic.Severity.ERROR ? System.err : System.out).println(d));
            if (result.ok()) {
                System.out.println(file + ": valid pipeline \"" + result.orThrow().name() + "\" with "
                        + result.orThrow().stages().size() + " stages");
            } else {
                allValid = false;
            }
        }
        return allValid ? Stagecoach.OK : Stagecoach.FAILED;
    }
}
