package dev.stagecoach.scheduler.streams;

import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.PipelineLoader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed pipeline revisions, as declared, cached: every event of a run needs its definition,
 * and parsing YAML each time would dominate. Declared, not expanded: the engine expands fan-out
 * itself and reads what the pipeline declares about the fanned-out stage (its aggregation).
 */
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
                k -> PipelineLoader.load(yaml, pipeline + ".yaml").orThrow());
    }
}
