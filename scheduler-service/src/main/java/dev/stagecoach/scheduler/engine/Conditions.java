package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.expr.ExpressionParser;

/** Evaluates a stage's {@code when} against the run as it stands. */
final class Conditions {

    private Conditions() {
    }

    static boolean holds(String condition, RunState run, PipelineDefinition declared) {
        return ExpressionParser.parse(condition).test(path -> StageResults.lookUp(path, run, declared));
    }
}
