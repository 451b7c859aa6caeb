package dev.stagecoach.worker;

import dev.stagecoach.events.ArtifactRef;
import dev.stagecoach.events.Outcome;
import java.util.List;
import java.util.Map;

/** How one attempt ended on this worker. */
public record AttemptOutcome(Outcome outcome, Integer exitCode, String error, List<String> outputTail,
                             Map<String, Double> metrics, Map<String, String> outputs, List<ArtifactRef> artifacts) {

    public AttemptOutcome {
        outputTail = List.copyOf(outputTail);
        metrics = Map.copyOf(metrics);
        outputs = Map.copyOf(outputs);
        artifacts = List.copyOf(artifacts);
    }

    public static AttemptOutcome succeeded(List<String> tail) {
        return new AttemptOutcome(Outcome.SUCCEEDED, 0, null, tail, Map.of(), Map.of(), List.of());
    }

    /** An attempt that ended with nothing to report but why and its last lines. */
    public static AttemptOutcome ended(Outcome outcome, String error, List<String> tail) {
        return new AttemptOutcome(outcome, null, error, tail, Map.of(), Map.of(), List.of());
    }
}
