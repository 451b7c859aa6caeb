package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stagecoach.pipeline.Diagnostic;
import dev.stagecoach.pipeline.LoadResult;
import dev.stagecoach.pipeline.PipelineLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "validate", description = "Check pipeline files; prints every problem with file:line:column. Exit 0 when all are valid.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        boolean allValid = true;
        ArrayNode report = new ObjectMapper().createArrayNode();
        for (Path file : files) {
            LoadResult result;
            ObjectNode entry = report.addObject().put("file", file.toString());
            try {
                result = PipelineLoader.load(Files.readString(file), file.toString());
            } catch (IOException e) {
                entry.put("valid", false).put("error", "cannot read: " + e.getMessage());
                if (!output.json()) {
                    System.err.println(file + ": cannot read: " + e.getMessage());
                }
                allValid = false;
                continue;
            }
            entry.put("valid", result.ok());
            ArrayNode diagnostics = entry.putArray("diagnostics");
            for (Diagnostic d : result.diagnostics()) {
                diagnostics.addObject().put("severity", d.severity().name()).put("line", d.line()).put("column", d.column())
                        .put("path", d.path()).put("message", d.message());
                if (!output.json()) {
                    (d.severity() == Diagnostic.Severity.ERROR ? System.err : System.out).println(d);
                }
            }
            if (result.ok()) {
                entry.put("pipeline", result.orThrow().name()).put("stages", result.orThrow().stages().size());
                if (!output.json()) {
                    System.out.println(file + ": valid pipeline \"" + result.orThrow().name() + "\" with "
                            + result.orThrow().stages().size() + " stages");
                }
            } else {
                allValid = false;
            }
        }
        if (output.json()) {
            System.out.println(OutputOption.pretty(report));
        }
        return allValid ? Stagecoach.OK : Stagecoach.FAILED;
    }
}
