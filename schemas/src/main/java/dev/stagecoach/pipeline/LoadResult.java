package dev.stagecoach.pipeline;

import java.util.List;
import java.util.Optional;

/** What loading a pipeline file gave: the definition when there were no errors, and every diagnostic. */
public record LoadResult(Optional<PipelineDefinition> definition, List<Diagnostic> diagnostics) {

    public LoadResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
    }

    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(d -> d.severity() == Diagnostic.Severity.WARNING).toList();
    }

    public boolean ok() {
        return definition.isPresent();
    }

    /** The definition, or an exception listing every error. */
    public PipelineDefinition orThrow() {
        return definition.orElseThrow(() -> new InvalidPipelineException(errors()));
    }
}
