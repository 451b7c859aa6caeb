package dev.stagecoach.pipeline;

/**
 * One problem found in a pipeline file, located like a compiler error:
 * {@code release.yaml:14:7 pipeline.stages[2].needs: unknown stage "biuld" (did you mean "build"?)}.
 *
 * @param line 1-based, 0 when the problem has no place in the file
 * @param path the key path, e.g. {@code pipeline.stages[2].needs}
 */
public record Diagnostic(Severity severity, String file, int line, int column, String path, String message) {

    public enum Severity { ERROR, WARNING }

    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line + ":" + column : file + ":";
        String prefix = severity == Severity.WARNING ? "warning: " : "";
        return where + " " + prefix + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
