package dev.stagecoach.scheduler.triggers;

import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.TriggerType;
import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.scheduler.api.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;

/** Asks the engine for a run: writes a RunRequested keyed by its run id and returns once the broker has it. */
@ApplicationScoped
public class TriggeredRuns {

    @Inject
    EventPublisher publisher;
    @Inject
    StagecoachConfig config;
    @Inject
    Clock clock;

    /**
     * For the triggers no person starts: the engine applies the pipeline's defaults, and when a
     * required parameter has none (the loader refuses such triggers, but an older revision may
     * have one) the run fails with a reason that says so, where people look.
     */
    public void requestWithDefaults(String runId, String pipeline, TriggerType trigger, String requestedBy) {
        request(runId, pipeline, Map.of(), trigger, requestedBy);
    }

    public void request(String runId, String pipeline, Map<String, String> parameters, TriggerType trigger, String requestedBy) {
        publisher.publish(config.topics().runRequests(), runId, RunRequested.newBuilder()
                .setRunId(runId)
                .setPipeline(pipeline)
                .setParameters(parameters)
                .setTrigger(trigger)
                .setRequestedBy(requestedBy)
                .setRequestedAt(clock.instant())
                .build());
    }
}
