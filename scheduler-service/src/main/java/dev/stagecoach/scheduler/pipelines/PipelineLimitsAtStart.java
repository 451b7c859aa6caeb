package dev.stagecoach.scheduler.pipelines;

import dev.stagecoach.pipeline.PipelineLimits;
import dev.stagecoach.scheduler.StagecoachConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Gives the pipeline loader and the parameter binder the {@code stagecoach.limits.*} of this
 * scheduler, before the engine or the API reads a pipeline: registration, the engine's
 * admission of a run (whoever wrote its request) and the webhooks all judge by the same limits.
 */
@ApplicationScoped
public class PipelineLimitsAtStart {

    void apply(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, StagecoachConfig config) {
        PipelineLimits.use(config.limits().pipelineLimits());
    }
}
