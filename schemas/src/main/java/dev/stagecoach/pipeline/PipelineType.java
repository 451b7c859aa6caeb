package dev.stagecoach.pipeline;

/** How stages that declare no {@code needs} are ordered. Explicit {@code needs} always apply. */
public enum PipelineType {
    /** A stage without {@code needs} waits for the stage declared just before it. */
    SEQUENTIAL,
    /** A stage without {@code needs} starts at once, within {@code parallel_workers}. */
    PARALLEL,
    /** Only explicit {@code needs} order stages: a DAG as written. */
    HYBRID
}
