package dev.stagecoach.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed reads from a YAML node tree that record a located diagnostic instead of throwing,
 * so that one pass reports every problem of a file.
 */
final class YamlNodes {

    private final String file;
    private final List<String> lines;
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    YamlNodes(String file, String text) {
        this.file = file;
        this.lines = text.lines().toList();
    }

    /** The source line a node starts on, as written, or "" when there is none. */
    String sourceLine(Node node) {
        int line = node == null ? -1 : node.getStartMark().getLine();
        return line >= 0 && line < lines.size() ? lines.get(line) : "";
    }

    List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    void error(Node node, String path, String message) {
        report(Diagnostic.Severity.ERROR, node, path, message);
    }

    void warning(Node node, String path, String message) {
        report(Diagnostic.Severity.WARNING, node, path, message);
    }

    void error(String path, String message) {
        diagnostics.add(new Diagnostic(Diagnostic.Severity.ERROR, file, 0, 0, path, message));
    }

    private void report(Diagnostic.Severity severity, Node node, String path, String message) {
        int line = node == null ? 0 : node.getStartMark().getLine() + 1;
        int column = node == null ? 0 : node.getStartMark().getColumn() + 1;
        diagnostics.add(new Diagnostic(severity, file, line, column, path, message));
    }

    static boolean isNull(Node node) {
        return node == null || Tag.NULL.equals(node.getTag());
    }

    /** The value of {@code key} in a mapping node, without reporting anything. */
    static java.util.Optional<Node> valueOf(Node node, String key) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                    return java.util.Optional.of(tuple.getValueNode());
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** The keys of a mapping in file order; unknown keys are reported with a suggestion. */
    Map<String, Node> mapping(Node node, String path, Set<String> knownKeys) {
        return mapping(node, path, knownKeys, Map.of());
    }

    /**
     * As {@link #mapping(Node, String, Set)}, but a key of {@code refused}, one that people are
     * likely to write and must not, is reported with its own message instead of as unknown.
     */
    Map<String, Node> mapping(Node node, String path, Set<String> knownKeys, Map<String, String> refused) {
        Map<String, Node> entries = new LinkedHashMap<>();
        if (!(node instanceof MappingNode mapping)) {
            error(node, path, "expected a mapping of keys to values, found " + describe(node));
            return entries;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            String key = keyNode instanceof ScalarNode scalar ? scalar.getValue() : null;
            if (key == null) {
                error(keyNode, path, "keys must be plain names");
                continue;
            }
            String keyPath = join(path, key);
            if (entries.containsKey(key)) {
                error(keyNode, keyPath, "duplicate key \"" + key + "\"");
                continue;
            }
            if (refused.containsKey(key)) {
                error(keyNode, keyPath, refused.get(key));
                continue;
            }
            if (knownKeys != null && !knownKeys.contains(key)) {
                error(keyNode, keyPath, "unknown key \"" + key + "\"" + Suggestions.didYouMean(key, knownKeys)
                        + "; allowed here: " + String.join(", ", knownKeys));
                continue;
            }
            entries.put(key, tuple.getValueNode());
        }
        return entries;
    }

    /** Entries of a mapping whose keys are names chosen by the author (parameters, env). */
    Map<String, Node> openMapping(Node node, String path) {
        return mapping(node, path, null);
    }

    List<Node> sequence(Node node, String path) {
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        error(node, path, "expected a list, found " + describe(node));
        return List.of();
    }

    String string(Node node, String path) {
        if (node instanceof ScalarNode scalar && !isNull(node)) {
            return scalar.getValue();
        }
        error(node, path, "expected a text value, found " + describe(node));
        return null;
    }

    Integer integer(Node node, String path, int min, int max) {
        String text = scalarText(node, path, "a whole number");
        if (text == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value < min || value > max) {
                error(node, path, value + " is out of range; expected " + min + ".." + max);
                return null;
            }
            return value;
        } catch (NumberFormatException e) {
            error(node, path, "expected a whole number, found \"" + text + "\"");
            return null;
        }
    }

    /** A decimal number, such as a gate's bound, a jitter share or a trigger's threshold. */
    Double number(Node node, String path) {
        String text = string(node, path);
        try {
            return text == null ? null : Double.valueOf(text.trim());
        } catch (NumberFormatException e) {
            error(node, path, "expected a number, found \"" + text + "\"");
            return null;
        }
    }

    Boolean bool(Node node, String path) {
        String text = scalarText(node, path, "true or false");
        if (text == null) {
            return null;
        }
        return switch (text.trim()) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> {
                error(node, path, "expected true or false, found \"" + text + "\"");
                yield null;
            }
        };
    }

    Duration duration(Node node, String path, Duration min, Duration max) {
        String text = scalarText(node, path, "a duration such as 30s or 5m");
        if (text == null) {
            return null;
        }
        try {
            Duration value = Durations.parse(text);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                error(node, path, text + " is out of range; expected between "
                        + Durations.format(min) + " and " + Durations.format(max));
                return null;
            }
            return value;
        } catch (IllegalArgumentException e) {
            error(node, path, e.getMessage());
            return null;
        }
    }

    List<String> strings(Node node, String path) {
        if (node instanceof ScalarNode && !isNull(node)) {
            return List.of(((ScalarNode) node).getValue());
        }
        List<String> values = new ArrayList<>();
        List<Node> items = sequence(node, path);
        for (int i = 0; i < items.size(); i++) {
            String value = string(items.get(i), path + "[" + i + "]");
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /** Reads each text of a list, or a single text as a list of one, where each item is reported on its own. */
    interface ItemReader {
        void read(Node item, String itemPath, String value);
    }

    void eachString(Node node, String path, ItemReader reader) {
        if (node instanceof ScalarNode && !isNull(node)) {
            reader.read(node, path, ((ScalarNode) node).getValue());
            return;
        }
        List<Node> items = sequence(node, path);
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            String value = string(items.get(i), itemPath);
            if (value != null) {
                reader.read(items.get(i), itemPath, value);
            }
        }
    }

    <E extends Enum<E>> E enumValue(Node node, String path, Class<E> type) {
        String text = scalarText(node, path, "one of " + choices(type));
        if (text == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text.trim())) {
                return constant;
            }
        }
        List<String> names = choices(type);
        error(node, path, "\"" + text + "\" is not one of " + String.join(", ", names)
                + Suggestions.didYouMean(text.toLowerCase(java.util.Locale.ROOT), names));
        return null;
    }

    private static <E extends Enum<E>> List<String> choices(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(java.util.Locale.ROOT));
        }
        return names;
    }

    private String scalarText(Node node, String path, String expected) {
        if (node instanceof ScalarNode scalar && !isNull(node)) {
            return scalar.getValue();
        }
        error(node, path, "expected " + expected + ", found " + describe(node));
        return null;
    }

    static String describe(Node node) {
        if (isNull(node)) {
            return "nothing";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "\"" + ((ScalarNode) node).getValue() + "\"";
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
