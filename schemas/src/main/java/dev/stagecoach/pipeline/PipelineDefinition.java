package dev.stagecoach.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pipeline as its author declared it, after loading and validation. Immutable.
 *
 * @param type how stages that declare no {@code needs} are ordered; see {@link PipelineType}
 */
public record PipelineDefinition(
        String name,
        String version,
        String description,
        PipelineType type,
        List<ParameterSpec> parameters,
        Options options,
        List<StageSpec> stages,
        Map<NotificationEvent, List<NotificationTarget>> notifications) {

    public PipelineDefinition {
        parameters = List.copyOf(parameters);
        stages = List.copyOf(stages);
        notifications = Map.copyOf(notifications);
    }

    public Optional<StageSpec> stage(String stageName) {
        return stages.stream().filter(s -> s.name().equals(stageName)).findFirst();
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

    public RetryPolicy retryPolicyOf(StageSpec stage) {
        return stage.retry() != null ? stage.retry() : options.retryPolicy();
    }
}
