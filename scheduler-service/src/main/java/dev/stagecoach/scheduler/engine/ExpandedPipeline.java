package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.ShardExpansion;
import dev.stagecoach.pipeline.StageSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pipeline revision as the engine schedules it: shards expanded, stages found by name and
 * needs resolved once, not on every event. A stage with 1,000 shards makes every decision
 * look at 1,000 stages; looking each of them up by scanning the list made a decision
 * quadratic in the shard count.
 */
final class ExpandedPipeline {

    final PipelineDefinition declared;
    final PipelineDefinition definition;
    private final Map<String, StageSpec> byName = new HashMap<>();
    private final Set<String> finallyNames = new HashSet<>();
    private final Map<String, List<String>> needs;
    // Rollback steps are derived from their stage on first use.
    private final Map<String, Optional<StageSpec>> derived = new ConcurrentHashMap<>();

    private ExpandedPipeline(PipelineDefinition declared, PipelineDefinition expanded) {
        this.declared = declared;
        this.definition = expanded;
        expanded.stages().forEach(s -> byName.put(s.name(), s));
        expanded.finallyStages().forEach(s -> {
            byName.put(s.name(), s);
            finallyNames.add(s.name());
        });
        this.needs = expanded.effectiveNeeds();
    }

    static ExpandedPipeline of(PipelineDefinition declared) {
        return new ExpandedPipeline(declared, ShardExpansion.expand(declared));
    }

    Optional<StageSpec> stage(String name) {
        StageSpec spec = byName.get(name);
        return spec != null ? Optional.of(spec) : derived.computeIfAbsent(name, definition::stage);
    }

    boolean isFinally(String name) {
        return finallyNames.contains(name);
    }

    /** Every main stage's needs, spelled out (shards included). */
    Map<String, List<String>> needs() {
        return needs;
    }
}
