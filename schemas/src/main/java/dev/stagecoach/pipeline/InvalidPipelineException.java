package dev.stagecoach.pipeline;

import java.util.List;
import java.util.stream.Collectors;

/** A pipeline that did not load; carries every error found, not just the first. */
public class InvalidPipelineException extends RuntimeException {

    private final List<Diagnostic> diagnostics;

    public InvalidPipelineException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
