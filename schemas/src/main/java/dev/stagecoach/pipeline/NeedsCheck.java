package dev.stagecoach.pipeline;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Checks the main stages' {@code needs} once all of them are read: every need names a stage
 * other than itself, and no run can deadlock on a cycle, either of the explicit needs or,
 * in a sequential pipeline, of those needs together with the implicit order of the stages.
 */
final class NeedsCheck {

    private final YamlNodes nodes;

    NeedsCheck(YamlNodes nodes) {
        this.nodes = nodes;
    }

    /**
     * @param needsNodes where each stage wrote its needs, to report there
     * @param indexes each stage's position in the list at {@code path}
     */
    void check(List<StageSpec> stages, Map<String, Node> needsNodes, Map<String, Integer> indexes, String path, PipelineType type) {
        for (StageSpec stage : stages) {
            for (String need : stage.needs()) {
                String needsPath = path + "[" + indexes.get(stage.name()) + "].needs";
                if (!indexes.containsKey(need)) {
                    nodes.error(needsNodes.get(stage.name()), needsPath, "unknown stage \"" + need + "\""
                            + Suggestions.didYouMean(need, indexes.keySet()));
                } else if (need.equals(stage.name())) {
                    nodes.error(needsNodes.get(stage.name()), needsPath, "stage \"" + need + "\" cannot need itself");
                }
            }
        }
        // A stage that needs itself is reported above; it is not also a cycle worth a second error.
        Optional<List<String>> cycle = StageGraph.findCycle(stages).filter(c -> c.size() > 2);
        cycle.ifPresent(c -> {
            String first = c.get(0);
            nodes.error(needsNodes.get(first), path + "[" + indexes.get(first) + "].needs",
                    "the stages depend on each other in a cycle: " + String.join(" -> ", c));
        });
        if (cycle.isEmpty() && type == PipelineType.SEQUENTIAL) {
            // The engine waits on the effective needs: an explicit need of a later stage plus
            // the implicit order can deadlock a run although the explicit needs have no cycle.
            Set<String> withoutNeeds = new HashSet<>();
            stages.stream().filter(s -> s.needs().isEmpty()).forEach(s -> withoutNeeds.add(s.name()));
            StageGraph.findCycle(StageGraph.effectiveNeeds(type, stages)).ifPresent(c -> {
                String explicit = c.stream().filter(s -> !withoutNeeds.contains(s)).findFirst().orElse(c.get(0));
                List<String> implicit = c.subList(0, c.size() - 1).stream()
                        .filter(withoutNeeds::contains).map(s -> "\"" + s + "\"").toList();
                nodes.error(needsNodes.get(explicit), path + "[" + indexes.get(explicit) + "].needs",
                        "the stages depend on each other in a cycle: " + String.join(" -> ", c) + "; in a sequential"
                        + " pipeline a stage without \"needs\" waits for the stage declared before it, as "
                        + String.join(", ", implicit) + (implicit.size() == 1 ? " does" : " do")
                        + ": reorder the stages, give them their own \"needs\" or use type: hybrid");
            });
        }
    }
}
