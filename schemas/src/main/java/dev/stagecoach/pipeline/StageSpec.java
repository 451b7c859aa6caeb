package dev.stagecoach.pipeline;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stage of a pipeline.
 *
 * @param run the bash script of a shell stage, or null
 * @param uses the stage kind when it is not a shell script (for example {@code noop}), or null
 * @param env environment variables; values may hold {@code ${{ expression }}} interpolations
 *            (see {@link dev.stagecoach.pipeline.expr.Interpolation}) that the engine renders
 * @param pool the worker pool that executes the stage, like a job's {@code runs-on}
 * @param retry overrides the pipeline's retry policy when not null
 * @param manualApproval when not null, the stage waits for a person's approval before it runs
 * @param fanout when not null, the stage runs as shards; see {@link ShardExpansion}
 * @param rollback a shell command that undoes the stage, or null
 * @param onFailure what a failed attempt leads to
 * @param gates checks on the metrics the stage reports
 * @param when a condition (see {@link dev.stagecoach.pipeline.expr.Expression}); false skips the stage; null runs it
 * @param with the inputs of a {@code uses} stage kind, as text that may hold interpolations; for
 *             {@code http} see {@link HttpCall}
 * @param outputs the names of the values the stage sets by printing {@code ::output name=value},
 *                which later stages read as {@code stages.<name>.outputs.<key>}
 * @param artifacts paths or globs, relative to the run's workspace, of the files to keep after the stage
 * @param aggregate for a fanned-out stage, how each named metric is combined from its shards;
 *                  see {@link #aggregationOf}
 */
public record StageSpec(
        String name,
        List<String> needs,
        String run,
        String uses,
        Map<String, String> env,
        String pool,
        Duration timeout,
        boolean critical,
        RetryPolicy retry,
        ManualApproval manualApproval,
        Fanout fanout,
        String rollback,
        OnFailure onFailure,
        String when,
        List<Gate> gates,
        Map<String, String> with,
        List<String> outputs,
        List<String> artifacts,
        Map<String, Aggregation> aggregate,
        Duration startTimeout) {

    public static final String DEFAULT_POOL = "default";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public StageSpec {
        needs = List.copyOf(needs);
        env = Map.copyOf(env);
        gates = gates == null ? List.of() : List.copyOf(gates);
        with = ordered(with);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        aggregate = ordered(aggregate);
    }

    /** A stage that waits for a worker as long as the deployment's start timeout says. */
    public StageSpec(String name, List<String> needs, String run, String uses, Map<String, String> env, String pool,
            Duration timeout, boolean critical, RetryPolicy retry, ManualApproval manualApproval, Fanout fanout,
            String rollback, OnFailure onFailure, String when, List<Gate> gates, Map<String, String> with,
            List<String> outputs, List<String> artifacts, Map<String, Aggregation> aggregate) {
        this(name, needs, run, uses, env, pool, timeout, critical, retry, manualApproval, fanout, rollback, onFailure, when,
                gates, with, outputs, artifacts, aggregate, null);
    }

    /** A stage without inputs, outputs, artifacts or aggregation, as stages were before those keys existed. */
    public StageSpec(String name, List<String> needs, String run, String uses, Map<String, String> env, String pool,
            Duration timeout, boolean critical, RetryPolicy retry, ManualApproval manualApproval, Fanout fanout,
            String rollback, OnFailure onFailure, String when, List<Gate> gates) {
        this(name, needs, run, uses, env, pool, timeout, critical, retry, manualApproval, fanout, rollback, onFailure, when,
                gates, Map.of(), List.of(), List.of(), Map.of());
    }

    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** The kind a worker dispatches on: {@code shell} for a {@code run} script, {@code noop} when there is nothing to run. */
    public String kind() {
        if (run != null) {
            return "shell";
        }
        return uses != null ? uses : "noop";
    }

    /** How the shards' values of {@code metric} are combined: as {@code aggregate} says, otherwise {@link Aggregation#DEFAULT}. */
    public Aggregation aggregationOf(String metric) {
        return aggregate.getOrDefault(metric, Aggregation.DEFAULT);
    }
}
