package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.Aggregation;
import dev.stagecoach.pipeline.ParameterSpec;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.ShardExpansion;
import dev.stagecoach.pipeline.StageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a stage came to, as conditions, interpolation and the report read it: for a plain
 * stage its own state; for a fanned-out stage the combination of its shards. A fanned-out
 * stage FAILED when one shard did and SUCCEEDED when all did; each metric is combined from
 * the shards that reported it as the stage's {@code aggregate} says (sum when it says
 * nothing); outputs stay by shard.
 */
public final class StageResults {

    /** @param outputsByShard shard index → that shard's outputs; for a plain stage, its outputs under index 0 */
    public record Result(String status, Map<String, Double> metrics, Map<Integer, Map<String, String>> outputsByShard,
                         int shards) {
    }

    private StageResults() {
    }

    /** The stage as declared (shards folded in), or empty when the run has no such stage. */
    public static Optional<Result> of(String stage, RunState run, PipelineDefinition declared) {
        StageState single = run.stage(stage);
        if (single != null) {
            return Optional.of(new Result(single.status().name(), single.metrics(), Map.of(0, single.outputs()), 1));
        }
        List<StageState> shards = run.stageList().stream()
                .filter(s -> ShardExpansion.isShard(s.name()) && ShardExpansion.stageOf(s.name()).equals(stage)).toList();
        if (shards.isEmpty()) {
            return Optional.empty();
        }
        Optional<StageSpec> spec = declared == null ? Optional.empty() : declared.stage(stage);
        Map<String, List<Double>> reported = new TreeMap<>();
        Map<Integer, Map<String, String>> outputs = new TreeMap<>();
        for (StageState shard : shards) {
            shard.metrics().forEach((name, value) -> reported.computeIfAbsent(name, n -> new ArrayList<>()).add(value));
            if (!shard.outputs().isEmpty()) {
                outputs.put(shardIndex(shard.name()), shard.outputs());
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        reported.forEach((name, values) -> metrics.put(name,
                spec.map(st -> st.aggregationOf(name)).orElse(Aggregation.DEFAULT).combine(values)));
        return Optional.of(new Result(statusOf(shards), metrics, outputs, shards.size()));
    }

    /**
     * The value of a reference as an expression reads it: {@code params.<name>},
     * {@code stages.<name>.status|outputs.<key>|metrics.<key>}, {@code run.id|pipeline|started_at};
     * null when there is none (yet), and for a secret parameter.
     */
    public static String lookUp(List<String> path, RunState run, PipelineDefinition declared) {
        if (path.size() < 2) {
            return null;
        }
        return switch (path.get(0)) {
            // A secret parameter is sealed: only a worker opens it, and conditions cannot read it.
            case "params" -> declared.parameter(path.get(1)).filter(ParameterSpec::secret).isPresent() ? null : run.parameters().get(path.get(1));
            case "run" -> switch (path.get(1)) {
                case "id" -> run.runId();
                case "pipeline" -> run.pipeline();
                case "started_at" -> run.createdAt().toString();
                default -> null;
            };
            case "stages" -> of(path.get(1), run, declared).map(result -> field(result, path)).orElse(null);
            default -> null;
        };
    }

    private static String field(Result result, List<String> path) {
        if (path.size() == 3 && path.get(2).equals("status")) {
            return result.status();
        }
        if (path.size() == 4 && path.get(2).equals("metrics")) {
            Double value = result.metrics().get(path.get(3));
            return value == null ? null : format(value);
        }
        if (path.size() == 4 && path.get(2).equals("outputs") && result.shards() == 1) {
            return result.outputsByShard().getOrDefault(0, Map.of()).get(path.get(3));
        }
        return null;
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static int shardIndex(String shard) {
        return Integer.parseInt(shard.substring(shard.indexOf(ShardExpansion.SEPARATOR) + 1));
    }

    private static String statusOf(List<StageState> shards) {
        List<StageStatus> statuses = shards.stream().map(StageState::status).toList();
        if (statuses.contains(StageStatus.FAILED)) {
            return StageStatus.FAILED.name();
        }
        return statuses.stream().filter(s -> s != StageStatus.SUCCEEDED).findFirst().orElse(StageStatus.SUCCEEDED).name();
    }
}
