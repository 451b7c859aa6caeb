package dev.stagecoach.scheduler.streams;

import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.scheduler.pipelines.PipelineRevisions;

/**
 * The processors' view of the shared {@link PipelineRevisions}: a run refused at admission
 * carries no YAML, and has no definition rather than an error.
 */
final class Definitions {

    private final PipelineRevisions revisions;

    Definitions(PipelineRevisions revisions) {
        this.revisions = revisions;
    }

    /** @throws dev.stagecoach.pipeline.InvalidPipelineException when the revision does not load */
    PipelineDefinition of(String pipeline, int revision, String yaml) {
        return yaml == null ? null : revisions.declared(pipeline, revision, yaml);
    }
}
