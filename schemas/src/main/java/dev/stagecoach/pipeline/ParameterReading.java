package dev.stagecoach.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a pipeline's {@code parameters}: each one's type, default, allowed values and bounds,
 * checking that the default keeps its own constraints. A block of run options written among
 * the parameters, as the seed document does, is set aside for {@link OptionReading}.
 */
final class ParameterReading {

    private static final Set<String> PARAMETER_KEYS = LanguageSchema.PARAMETER.keys();
    private static final Set<String> OPTION_KEYS = LanguageSchema.OPTIONS.keys();

    private final YamlNodes nodes;
    private Node optionsAmongParameters;

    ParameterReading(YamlNodes nodes) {
        this.nodes = nodes;
    }

    List<ParameterSpec> parameters(Node node, String path) {
        List<ParameterSpec> parameters = new ArrayList<>();
        for (Map.Entry<String, Node> entry : nodes.openMapping(node, path).entrySet()) {
            if (entry.getKey().equals("options") && isOptionsBlock(entry.getValue())) {
                // The layout of the seed document: run options declared among the parameters.
                optionsAmongParameters = entry.getValue();
                continue;
            }
            ParameterSpec spec = parameter(entry.getKey(), entry.getValue(), path + "." + entry.getKey());
            if (spec != null) {
                parameters.add(spec);
            }
        }
        return parameters;
    }

    /** The run options found among the parameters, or null when they were not written there. */
    Node optionsAmongParameters() {
        return optionsAmongParameters;
    }

    private static boolean isOptionsBlock(Node node) {
        return node instanceof MappingNode mapping && !mapping.getValue().isEmpty()
                && mapping.getValue().stream().allMatch(t -> t.getKeyNode() instanceof ScalarNode k && OPTION_KEYS.contains(k.getValue()));
    }

    /** One parameter, or null when its type is unusable; also reads run options declared like parameters. */
    ParameterSpec parameter(String name, Node node, String paramPath) {
        Map<String, Node> keys = nodes.mapping(node, paramPath, PARAMETER_KEYS);
        ParameterType type = keys.containsKey("type")
                ? nodes.enumValue(keys.get("type"), paramPath + ".type", ParameterType.class) : ParameterType.STRING;
        boolean required = keys.containsKey("required") && Boolean.TRUE.equals(nodes.bool(keys.get("required"), paramPath + ".required"));
        String defaultValue = keys.containsKey("default") ? scalarOrList(keys.get("default"), paramPath + ".default") : null;
        List<String> enumValues = keys.containsKey("enum") ? nodes.strings(keys.get("enum"), paramPath + ".enum") : List.of();
        String min = keys.containsKey("min") ? nodes.string(keys.get("min"), paramPath + ".min") : null;
        String max = keys.containsKey("max") ? nodes.string(keys.get("max"), paramPath + ".max") : null;
        String pattern = keys.containsKey("pattern") ? nodes.string(keys.get("pattern"), paramPath + ".pattern") : null;
        String description = keys.containsKey("description") ? nodes.string(keys.get("description"), paramPath + ".description") : "";
        boolean secret = keys.containsKey("secret") && Boolean.TRUE.equals(nodes.bool(keys.get("secret"), paramPath + ".secret"));
        if (type == null) {
            return null;
        }
        if (secret && defaultValue != null) {
            nodes.error(keys.get("default"), paramPath + ".default", "a secret parameter has no default: the pipeline file is kept "
                    + "in clear; read a secret of the deployment with ${{ secrets.<NAME> }} instead");
        }
        if (secret && (name.equals("parallel_workers") || name.equals("timeout"))) {
            nodes.error(keys.get("secret"), paramPath + ".secret", "\"" + name + "\" sets the run's " + name.replace('_', ' ')
                    + ", which the scheduler must read; it cannot be secret");
        }
        if (type == ParameterType.ENUM && enumValues.isEmpty()) {
            nodes.error(node, paramPath, "an enum parameter needs \"enum\": the list of allowed values");
        }
        if (!enumValues.isEmpty() && type != ParameterType.ENUM && type != ParameterType.STRING) {
            nodes.error(keys.get("enum"), paramPath + ".enum", "allowed values apply to string and enum parameters, not " + type.name().toLowerCase());
        }
        if (pattern != null) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                nodes.error(keys.get("pattern"), paramPath + ".pattern", "not a valid regular expression: " + e.getDescription());
            }
        }
        ParameterSpec spec = new ParameterSpec(name, type, required, defaultValue, enumValues, min, max, pattern, description, secret);
        for (String bound : new String[] {"min", "max"}) {
            String value = bound.equals("min") ? min : max;
            if (value != null) {
                if (type != ParameterType.INTEGER && type != ParameterType.NUMBER && type != ParameterType.DURATION) {
                    nodes.error(keys.get(bound), paramPath + "." + bound, "bounds apply to integer, number and duration parameters, not " + type.name().toLowerCase());
                } else {
                    ParameterValues.typeProblem(type, value).ifPresent(p -> nodes.error(keys.get(bound), paramPath + "." + bound, p));
                }
            }
        }
        if (defaultValue != null) {
            ParameterValues.problems(spec, defaultValue).forEach(p ->
                    nodes.error(keys.get("default"), paramPath + ".default", "the default breaks its own constraints: " + p));
        }
        return spec;
    }

    private String scalarOrList(Node node, String path) {
        if (node instanceof SequenceNode) {
            return String.join(",", nodes.strings(node, path));
        }
        return nodes.string(node, path);
    }
}
