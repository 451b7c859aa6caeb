package dev.stagecoach.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pipeline as its author declared it, after loading and validation. Immutable.
 *
 * @param type how stages that declare no {@code needs} are ordered; see {@link PipelineType}
 * @param finallyStages run one after another once the run's outcome is known, whatever it is
 * @param triggers what may start a run; never empty: a pipeline that declares none has {@link Trigger#MANUAL}
 */
public record PipelineDefinition(
        String name,
        String version,
        String description,
        PipelineType type,
        List<ParameterSpec> parameters,
        Options options,
        List<StageSpec> stages,
        List<StageSpec> finallyStages,
        Map<NotificationEvent, List<NotificationTarget>> notifications,
        List<Trigger> triggers) {

    public PipelineDefinition {
        parameters = List.copyOf(parameters);
        stages = List.copyOf(stages);
        finallyStages = List.copyOf(finallyStages);
        notifications = Map.copyOf(notifications);
        triggers = triggers == null || triggers.isEmpty() ? List.of(Trigger.MANUAL) : List.copyOf(triggers);
    }

    /** A pipeline started only by hand, as every pipeline was before triggers existed. */
    public PipelineDefinition(String name, String version, String description, PipelineType type, List<ParameterSpec> parameters,
            Options options, List<StageSpec> stages, List<StageSpec> finallyStages,
            Map<NotificationEvent, List<NotificationTarget>> notifications) {
        this(name, version, description, type, parameters, options, stages, finallyStages, notifications, List.of(Trigger.MANUAL));
    }

    /** The step that runs a stage's rollback command is named like this; '@' is never in a stage name. */
    public static String rollbackStepOf(String stageName) {
        return "rollback@" + stageName;
    }

    /**
     * A stage, a finally stage, or the rollback step of a stage, by name. The name of a shard
     * ({@code test#2}) gives the declared stage it belongs to, unless this definition was
     * expanded and has the shard itself.
     */
    public Optional<StageSpec> stage(String stageName) {
        if (stageName.startsWith("rollback@")) {
            return stage(stageName.substring("rollback@".length())).filter(s -> s.rollback() != null)
                    .map(s -> new StageSpec(stageName, List.of(), s.rollback(), null, s.env(), s.pool(), s.timeout(), true,
                            RetryPolicy.NONE, null, null, null, OnFailure.RETRY, null, List.of(), Map.of(), List.of(), List.of(),
                            Map.of(), s.startTimeout()));
        }
        Optional<StageSpec> named = java.util.stream.Stream.concat(stages.stream(), finallyStages.stream())
                .filter(s -> s.name().equals(stageName)).findFirst();
        return named.isPresent() || !ShardExpansion.isShard(stageName) ? named : stage(ShardExpansion.stageOf(stageName));
    }

    public boolean isFinally(String stageName) {
        return finallyStages.stream().anyMatch(s -> s.name().equals(stageName));
    }

    public Optional<ParameterSpec> parameter(String parameterName) {
        return parameters.stream().filter(p -> p.name().equals(parameterName)).findFirst();
    }

    public List<NotificationTarget> notificationsFor(NotificationEvent event) {
        return notifications.getOrDefault(event, List.of());
    }

    /**
     * The stages each stage waits for. Explicit {@code needs} always count; a stage without
     * them waits for the stage declared before it in a sequential pipeline, and for nothing
     * in a parallel or hybrid one.
     */
    public Map<String, List<String>> effectiveNeeds() {
        return StageGraph.effectiveNeeds(type, stages);
    }

    /**
     * The options of one run: a run sets {@code timeout} or {@code parallel_workers} when the
     * pipeline declares them as parameters (as the seed layout does under parameters.options);
     * their values were checked against the declared bounds when the run was admitted.
     */
    public Options optionsFor(Map<String, String> runParameters) {
        int workers = parameter("parallel_workers").filter(p -> p.type() == ParameterType.INTEGER && !p.secret())
                .map(p -> runParameters.get(p.name())).map(v -> Integer.parseInt(v.trim())).orElse(options.parallelWorkers());
        java.time.Duration timeout = parameter("timeout").filter(p -> p.type() == ParameterType.DURATION && !p.secret())
                .map(p -> runParameters.get(p.name())).map(Durations::parse).orElse(options.timeout());
        // A parameter declared outside the options block has no bounds of its own: the hard ones hold anyway.
        workers = Math.max(1, Math.min(Options.MAX_PARALLEL_WORKERS, workers));
        timeout = timeout.compareTo(Options.MAX_TIMEOUT) > 0 ? Options.MAX_TIMEOUT
                : timeout.isZero() || timeout.isNegative() ? options.timeout() : timeout;
        return new Options(workers, timeout, options.retryPolicy());
    }

    public RetryPolicy retryPolicyOf(StageSpec stage) {
        return stage.retry() != null ? stage.retry() : options.retryPolicy();
    }
}
