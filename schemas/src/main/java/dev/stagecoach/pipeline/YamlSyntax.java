package dev.stagecoach.pipeline;

import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads a file's YAML into a node tree, or says in one located diagnostic why it is not YAML
 * at all. Nothing here knows about pipelines: what the tree means is the other readers' business.
 */
final class YamlSyntax {

    /** The tree, or null with {@code problem} set; a file of only comments has no tree and no problem. */
    record Composed(Node root, Diagnostic problem) {
    }

    private YamlSyntax() {
    }

    static Composed compose(String yaml, String file) {
        try {
            return new Composed(new Yaml(new LoaderOptions()).compose(new StringReader(yaml)), null);
        } catch (YAMLException e) {
            return new Composed(null, problem(e, yaml, file));
        }
    }

    private static Diagnostic problem(YAMLException exception, String yaml, String file) {
        if (exception instanceof MarkedYAMLException e) {
            var mark = e.getProblemMark();
            var context = e.getContextMark();
            // SnakeYAML's context ("while scanning a quoted scalar" at 5:12) points at the cause;
            // its problem mark is often just where the parser gave up, e.g. the end of the file.
            String where = e.getContext() == null || context == null ? ""
                    : " (" + e.getContext() + " that starts at line " + (context.getLine() + 1) + ", column " + (context.getColumn() + 1) + ")";
            String hint = e.getProblem() != null && e.getProblem().contains("mapping values are not allowed")
                    ? "; a value that contains \": \" must be quoted" : "";
            return new Diagnostic(Diagnostic.Severity.ERROR, file, mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1, "", "not valid YAML: " + e.getProblem() + where + hint);
        }
        if (exception instanceof ReaderException e) {
            // Thrown before parsing, for characters YAML forbids; it carries an offset, not a line.
            String before = yaml.substring(0, Math.min(e.getPosition(), yaml.length()));
            int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
            int column = before.length() - before.lastIndexOf('\n');
            return new Diagnostic(Diagnostic.Severity.ERROR, file, line, column,
                    "", String.format("not valid YAML: the character U+%04X is not allowed in a YAML file", e.getCodePoint()));
        }
        return new Diagnostic(Diagnostic.Severity.ERROR, file, 0, 0, "", "not valid YAML: " + exception.getMessage());
    }
}
