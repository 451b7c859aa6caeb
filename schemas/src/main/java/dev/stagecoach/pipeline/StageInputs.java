package dev.stagecoach.pipeline;

import dev.stagecoach.pipeline.expr.Interpolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads a stage's {@code with}: the inputs of the stage kind it {@code uses}. The stock kinds
 * are checked input by input; any other kind takes inputs of any name, as the worker that
 * runs it decides. Interpolations are handed to the {@link ReferenceCheck}.
 */
final class StageInputs {

    private static final Set<String> HTTP_INPUTS = new LinkedHashSet<>(HttpCall.INPUTS);
    // RFC 9110 token characters: a header name with anything else would be refused on the wire.
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final YamlNodes nodes;
    private final List<ReferenceCheck.Use> interpolations;

    StageInputs(YamlNodes nodes, List<ReferenceCheck.Use> interpolations) {
        this.nodes = nodes;
        this.interpolations = interpolations;
    }

    /**
     * @param with the {@code with} node, or null when the stage has none
     * @param uses the stage's kind, or null
     */
    Map<String, String> read(String stage, Node with, String path, String uses, Node usesNode) {
        if (with == null) {
            if ("http".equals(uses)) {
                nodes.error(usesNode, path + ".uses", "an http stage needs \"with\" with at least a url, e.g. with: {url: https://example.com/health}");
            }
            return Map.of();
        }
        String withPath = path + ".with";
        if (uses == null) {
            nodes.error(with, withPath, "\"with\" gives inputs to the stage kind named by \"uses\"; a run script reads env instead");
            return Map.of();
        }
        return switch (uses) {
            case "noop" -> {
                nodes.error(with, withPath, "the noop kind takes no inputs; leave \"with\" out");
                yield Map.of();
            }
            case "http" -> http(stage, with, withPath);
            default -> anyInputs(stage, with, withPath);
        };
    }

    private Map<String, String> anyInputs(String stage, Node with, String path) {
        Map<String, String> inputs = new LinkedHashMap<>();
        nodes.openMapping(with, path).forEach((name, node) -> {
            String value = text(stage, node, path + "." + name, ReferenceCheck.Place.INPUT);
            if (value != null) {
                inputs.put(name, value);
            }
        });
        return inputs;
    }

    private Map<String, String> http(String stage, Node with, String path) {
        Map<String, Node> keys = nodes.mapping(with, path, HTTP_INPUTS);
        Map<String, String> inputs = new LinkedHashMap<>();
        if (!keys.containsKey("url") && with instanceof org.yaml.snakeyaml.nodes.MappingNode mapping && !urlMisspelt(mapping)) {
            nodes.error(with, path, "missing required key \"url\": the address the stage calls");
        }
        for (Map.Entry<String, Node> entry : keys.entrySet()) {
            String inputPath = path + "." + entry.getKey();
            Node node = entry.getValue();
            String value = switch (entry.getKey()) {
                case "url" -> url(stage, node, inputPath);
                case "method" -> method(node, inputPath);
                case "headers" -> headers(stage, node, inputPath);
                case "body" -> text(stage, node, inputPath, ReferenceCheck.Place.SECRET_INPUT);
                default -> statuses(node, inputPath);
            };
            if (value != null) {
                inputs.put(entry.getKey(), value);
            }
        }
        return inputs;
    }

    /** An unknown key that is close to "url" was reported with a suggestion already; "missing url" would say it twice. */
    private static boolean urlMisspelt(org.yaml.snakeyaml.nodes.MappingNode mapping) {
        return mapping.getValue().stream().anyMatch(t -> t.getKeyNode() instanceof ScalarNode key
                && !HTTP_INPUTS.contains(key.getValue()) && Suggestions.closest(key.getValue(), HTTP_INPUTS).filter("url"::equals).isPresent());
    }

    private String url(String stage, Node node, String path) {
        String url = text(stage, node, path, ReferenceCheck.Place.INPUT);
        if (url != null && !url.startsWith("http://") && !url.startsWith("https://") && !url.startsWith(Interpolation.OPEN)) {
            nodes.error(node, path, "\"" + url + "\" is not an http or https URL");
        }
        return url;
    }

    private String method(Node node, String path) {
        String method = nodes.string(node, path);
        if (method == null) {
            return null;
        }
        String upper = method.trim().toUpperCase(Locale.ROOT);
        if (!HttpCall.METHODS.contains(upper)) {
            nodes.error(node, path, "\"" + method + "\" is not one of " + String.join(", ", HttpCall.METHODS)
                    + Suggestions.didYouMean(upper, HttpCall.METHODS));
            return null;
        }
        return upper;
    }

    private String headers(String stage, Node node, String path) {
        Map<String, String> headers = new LinkedHashMap<>();
        nodes.openMapping(node, path).forEach((name, valueNode) -> {
            String headerPath = path + "." + name;
            if (!HEADER_NAME.matcher(name).matches()) {
                nodes.error(valueNode, headerPath, "\"" + name + "\" is not a valid header name; use letters, digits and '-'");
                return;
            }
            String value = text(stage, valueNode, headerPath, ReferenceCheck.Place.SECRET_INPUT);
            if (value != null && (value.contains("\n") || value.contains("\r"))) {
                nodes.error(valueNode, headerPath, "a header value is one line");
            } else if (value != null) {
                headers.put(name, value.strip());
            }
        });
        return headers.isEmpty() ? null : HttpCall.headerLines(headers);
    }

    private String statuses(Node node, String path) {
        List<String> codes = new ArrayList<>();
        List<Node> items = node instanceof ScalarNode ? List.of(node) : nodes.sequence(node, path);
        for (int i = 0; i < items.size(); i++) {
            Integer code = nodes.integer(items.get(i), node instanceof ScalarNode ? path : path + "[" + i + "]", 100, 599);
            if (code != null) {
                codes.add(code.toString());
            }
        }
        return codes.isEmpty() ? null : String.join(",", codes);
    }

    private String text(String stage, Node node, String path, ReferenceCheck.Place place) {
        String value = nodes.string(node, path);
        if (value != null) {
            interpolations.add(new ReferenceCheck.Use(node, path, stage, place, value));
        }
        return value;
    }
}
