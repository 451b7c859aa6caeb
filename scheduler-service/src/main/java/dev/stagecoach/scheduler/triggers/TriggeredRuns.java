package dev.stagecoach.scheduler.triggers;

import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.TriggerType;
import dev.stagecoach.pipeline.ParameterSpec;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.scheduler.api.EventPublisher;
import dev.stagecoach.secrets.SealedParameters;
import dev.stagecoach.secrets.SecretKeyRing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Asks the engine for a run: writes a RunRequested keyed by its run id and returns once the
 * broker has it. Secret parameters are sealed here, where they enter, so that no topic holds
 * them in clear.
 */
@ApplicationScoped
public class TriggeredRuns {

    @Inject
    EventPublisher publisher;
    @Inject
    StagecoachConfig config;
    @Inject
    Clock clock;
    @Inject
    SecretKeyRing keys;

    /** A run given a secret parameter while this scheduler has no key to seal it with. */
    public static final class CannotSealException extends RuntimeException {
        CannotSealException(String parameter) {
            super("secret parameter \"" + parameter + "\" cannot be accepted: this scheduler has no key to seal it with; set "
                    + SecretKeyRing.KEY_SETTING + " (" + SecretKeyRing.KEY_VARIABLE + ") on the scheduler and the workers");
        }
    }

    /**
     * For the triggers no person starts: the engine applies the pipeline's defaults, and when a
     * required parameter has none (the loader refuses such triggers, but an older revision may
     * have one) the run fails with a reason that says so, where people look.
     */
    public void requestWithDefaults(String runId, String pipeline, TriggerType trigger, String requestedBy) {
        publish(runId, pipeline, Map.of(), trigger, requestedBy);
    }

    /**
     * @param parameters checked against {@code definition} already
     * @throws CannotSealException when a secret parameter is given and there is no key
     */
    public void request(String runId, PipelineDefinition definition, Map<String, String> parameters, TriggerType trigger,
                        String requestedBy) {
        Map<String, String> sent = new LinkedHashMap<>(parameters);
        for (ParameterSpec spec : definition.parameters()) {
            String value = sent.get(spec.name());
            if (spec.secret() && value != null) {
                if (!keys.canSeal()) {
                    throw new CannotSealException(spec.name());
                }
                sent.put(spec.name(), SealedParameters.seal(keys, runId, spec.name(), value));
            }
        }
        publish(runId, definition.name(), sent, trigger, requestedBy);
    }

    private void publish(String runId, String pipeline, Map<String, String> parameters, TriggerType trigger, String requestedBy) {
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
