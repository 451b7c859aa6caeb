package dev.stagecoach.pipeline;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Graph questions about a pipeline's {@code needs}. */
public final class StageGraph {

    private StageGraph() {
    }

    /**
     * The stages each stage waits for. Explicit {@code needs} always count; a stage without
     * them waits for the stage declared before it in a sequential pipeline, and for nothing
     * in a parallel or hybrid one.
     */
    public static Map<String, List<String>> effectiveNeeds(PipelineType type, List<StageSpec> stages) {
        Map<String, List<String>> needs = new LinkedHashMap<>();
        String previous = null;
        for (StageSpec stage : stages) {
            List<String> own = new ArrayList<>(stage.needs());
            if (own.isEmpty() && type == PipelineType.SEQUENTIAL && previous != null) {
                own.add(previous);
            }
            needs.put(stage.name(), List.copyOf(own));
            previous = stage.name();
        }
        return needs;
    }

    /** A cycle of explicit {@code needs} as a path that ends where it starts, e.g. [a, b, c, a], or empty when there is none. */
    public static Optional<List<String>> findCycle(List<StageSpec> stages) {
        Map<String, List<String>> needs = new LinkedHashMap<>();
        stages.forEach(s -> needs.put(s.name(), s.needs()));
        return findCycle(needs);
    }

    /** A cycle in a stage-to-needs map, in the map's order, e.g. of {@link #effectiveNeeds}. */
    public static Optional<List<String>> findCycle(Map<String, List<String>> needs) {
        Set<String> done = new HashSet<>();
        for (String stage : needs.keySet()) {
            List<String> path = new ArrayList<>();
            Optional<List<String>> cycle = visit(stage, needs, done, path);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        return Optional.empty();
    }

    private static Optional<List<String>> visit(String stage, Map<String, List<String>> needs, Set<String> done, List<String> path) {
        int seen = path.indexOf(stage);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(stage);
            return Optional.of(cycle);
        }
        if (done.contains(stage) || !needs.containsKey(stage)) {
            return Optional.empty();
        }
        path.add(stage);
        for (String need : needs.get(stage)) {
            Optional<List<String>> cycle = visit(need, needs, done, path);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        done.add(stage);
        return Optional.empty();
    }
}
