package dev.stagecoach.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads what a stage must pass besides its own exit code: its quality {@code gates} on the
 * metrics it reports, and a {@code manual_approval} that a person gives before it starts.
 */
final class GateReading {

    private static final Set<String> GATE_KEYS = LanguageSchema.GATE.keys();
    private static final Set<String> APPROVAL_KEYS = LanguageSchema.APPROVAL.keys();

    private final YamlNodes nodes;

    GateReading(YamlNodes nodes) {
        this.nodes = nodes;
    }

    List<Gate> gates(Node node, String path) {
        List<Gate> gates = new ArrayList<>();
        List<Node> items = nodes.sequence(node, path);
        for (int i = 0; i < items.size(); i++) {
            String gatePath = path + "[" + i + "]";
            Map<String, Node> keys = nodes.mapping(items.get(i), gatePath, GATE_KEYS);
            String metric = keys.containsKey("metric") ? nodes.string(keys.get("metric"), gatePath + ".metric") : null;
            if (!keys.containsKey("metric")) {
                nodes.error(items.get(i), gatePath, "missing required key \"metric\": the name the stage reports with ::metric <name>=<value>");
            }
            Double min = keys.containsKey("min") ? nodes.number(keys.get("min"), gatePath + ".min") : null;
            Double max = keys.containsKey("max") ? nodes.number(keys.get("max"), gatePath + ".max") : null;
            if (metric != null && min == null && max == null && !keys.containsKey("min") && !keys.containsKey("max")) {
                nodes.error(items.get(i), gatePath, "a gate needs \"min\", \"max\" or both");
            }
            if (min != null && max != null && min > max) {
                nodes.error(keys.get("max"), gatePath + ".max", "max " + max + " is below min " + min);
            }
            Gate.Severity severity = keys.containsKey("severity")
                    ? nodes.enumValue(keys.get("severity"), gatePath + ".severity", Gate.Severity.class) : Gate.Severity.FAIL;
            if (metric != null && severity != null) {
                gates.add(new Gate(metric, min, max, severity));
            }
        }
        return gates;
    }

    /** {@code manual_approval: true}, or a mapping with approvers and a timeout; null when none is wanted. */
    ManualApproval manualApproval(Node node, String path) {
        if (node instanceof ScalarNode) {
            Boolean wanted = nodes.bool(node, path);
            return Boolean.TRUE.equals(wanted) ? new ManualApproval(List.of(), null) : null;
        }
        Map<String, Node> keys = nodes.mapping(node, path, APPROVAL_KEYS);
        List<String> approvers = keys.containsKey("approvers") ? nodes.strings(keys.get("approvers"), path + ".approvers") : List.of();
        Duration timeout = keys.containsKey("timeout")
                ? nodes.duration(keys.get("timeout"), path + ".timeout", Duration.ofSeconds(1), Duration.ofDays(30)) : null;
        return new ManualApproval(approvers, timeout);
    }
}
