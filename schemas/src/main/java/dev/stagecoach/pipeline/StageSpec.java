package dev.stagecoach.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One stage of a pipeline.
 *
 * @param run the bash script of a shell stage, or null
 * @param uses the stage kind when it is not a shell script (for example {@code noop}), or null
 * @param pool the worker pool that executes the stage, like a job's {@code runs-on}
 * @param retry overrides the pipeline's retry policy when not null
 * @param manualApproval when not null, the stage waits for a person's approval before it runs
 * @param fanout when not null, the stage runs as shards; see {@link ShardExpansion}
 * @param rollback a shell command that undoes the stage, or null
 * @param onFailure what a failed attempt leads to
 * @param gates checks on the metrics the stage reports
 * @param when a condition (see {@link dev.stagecoach.pipeline.expr.Expression}); false skips the stage; null runs it
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
        List<Gate> gates) {

    public static final String DEFAULT_POOL = "default";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public StageSpec {
        needs = List.copyOf(needs);
        env = Map.copyOf(env);
        gates = gates == null ? List.of() : List.copyOf(gates);
    }

    /** The kind a worker dispatches on: {@code shell} for a {@code run} script, {@code noop} when there is nothing to run. */
    public String kind() {
        if (run != null) {
            return "shell";
        }
        return uses != null ? uses : "noop";
    }
}
