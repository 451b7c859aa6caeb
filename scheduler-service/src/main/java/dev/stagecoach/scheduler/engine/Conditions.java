package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.ShardExpansion;
import dev.stagecoach.pipeline.expr.Expression;
import dev.stagecoach.pipeline.expr.ExpressionParser;
import java.util.List;

/** Evaluates a stage's {@code when} against the run as it stands. */
final class Conditions {

    private Conditions() {
    }

    static boolean holds(String condition, RunState run) {
        return ExpressionParser.parse(condition).test(path -> lookUp(path, run));
    }

    private static String lookUp(List<String> path, RunState run) {
        return switch (path.get(0)) {
            case "params" -> run.parameters().get(path.get(1));
            case "stages" -> statusOf(path.get(1), run);
            case "run" -> path.get(1).equals("id") ? run.runId() : run.pipeline();
            default -> null;
        };
    }

    /** A fanned-out stage's status is that of its shards: FAILED if one failed, SUCCEEDED when all did. */
    private static String statusOf(String stage, RunState run) {
        StageState single = run.stage(stage);
        if (single != null) {
            return single.status().name();
        }
        List<StageStatus> shards = run.stageList().stream()
                .filter(s -> ShardExpansion.isShard(s.name()) && ShardExpansion.stageOf(s.name()).equals(stage))
                .map(StageState::status).toList();
        if (shards.isEmpty()) {
            return null;
        }
        if (shards.contains(StageStatus.FAILED)) {
            return StageStatus.FAILED.name();
        }
        return shards.stream().allMatch(s -> s == StageStatus.SUCCEEDED) ? StageStatus.SUCCEEDED.name()
                : shards.stream().filter(s -> s != StageStatus.SUCCEEDED).findFirst().orElseThrow().name();
    }
}
