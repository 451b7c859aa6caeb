package dev.stagecoach.scheduler.streams;

import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.PipelineLoader;
import dev.stagecoach.pipeline.ShardExpansion;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parsed pipeline revisions, cached: every event of a run needs its definition, and parsing YAML each time would dominate. */
final class Definitions {

    private static final int CAPACITY = 256;

    private final Map<String, PipelineDefinition> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PipelineDefinition> eldest) {
            return size() > CAPACITY;
        }
    };

    PipelineDefinition of(String pipeline, int revision, String yaml) {
        if (yaml == null) {
            return null;
        }
        return cache.computeIfAbsent(pipeline + "@" + revision + "#" + yaml.hashCode(),
                k -> ShardExpansion.expand(PipelineLoader.load(yaml, pipeline + ".yaml").orThrow()));
    }
}
