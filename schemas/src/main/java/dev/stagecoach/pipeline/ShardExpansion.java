package dev.stagecoach.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns every fanned-out stage into its shards, so that the engine schedules shards exactly
 * like stages: each with its own attempts, retries and slot under {@code parallel_workers}.
 * A shard of {@code test} is named {@code test#3}; a stage that needs {@code test} needs
 * every shard. The result spells every need out, so it is a {@link PipelineType#HYBRID} pipeline.
 */
public final class ShardExpansion {

    public static final String SEPARATOR = "#";

    private ShardExpansion() {
    }

    public static boolean isShard(String stageName) {
        return stageName.contains(SEPARATOR);
    }

    /** The declared stage a shard belongs to, or the name itself. */
    public static String stageOf(String stageName) {
        int at = stageName.indexOf(SEPARATOR);
        return at < 0 ? stageName : stageName.substring(0, at);
    }

    public static PipelineDefinition expand(PipelineDefinition definition) {
        if (definition.stages().stream().allMatch(s -> s.fanout() == null)) {
            return definition;
        }
        Map<String, List<String>> declaredNeeds = definition.effectiveNeeds();
        Map<String, List<String>> namesOf = new LinkedHashMap<>();
        for (StageSpec stage : definition.stages()) {
            List<String> names = new ArrayList<>();
            int count = stage.fanout() == null ? 1 : stage.fanout().count();
            for (int i = 0; i < count; i++) {
                names.add(stage.fanout() == null ? stage.name() : stage.name() + SEPARATOR + i);
            }
            namesOf.put(stage.name(), names);
        }
        List<StageSpec> expanded = new ArrayList<>();
        for (StageSpec stage : definition.stages()) {
            List<String> needs = declaredNeeds.get(stage.name()).stream().flatMap(n -> namesOf.get(n).stream()).toList();
            List<String> names = namesOf.get(stage.name());
            for (int i = 0; i < names.size(); i++) {
                Map<String, String> env = new LinkedHashMap<>(stage.env());
                if (stage.fanout() != null) {
                    env.put("STAGECOACH_SHARD_INDEX", Integer.toString(i));
                    env.put("STAGECOACH_SHARD_COUNT", Integer.toString(names.size()));
                    stage.fanout().valuesOf(i).forEach((key, value) ->
                            env.put("MATRIX_" + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_"), value));
                }
                expanded.add(new StageSpec(names.get(i), needs, stage.run(), stage.uses(), env, stage.pool(), stage.timeout(),
                        stage.critical(), stage.retry(), stage.manualApproval(), null, stage.rollback(), stage.onFailure(), stage.when(),
                        stage.gates(), stage.with(), stage.outputs(), stage.artifacts(), stage.aggregate(), stage.startTimeout()));
            }
        }
        return new PipelineDefinition(definition.name(), definition.version(), definition.description(), PipelineType.HYBRID,
                definition.parameters(), definition.options(), expanded, definition.finallyStages(), definition.notifications(),
                definition.triggers());
    }
}
