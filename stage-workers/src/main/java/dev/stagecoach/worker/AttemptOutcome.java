package dev.stagecoach.worker;

import dev.stagecoach.events.Outcome;
import java.util.List;
import java.util.Map;

/** How one attempt ended on this worker. */
public record AttemptOutcome(Outcome outcome, Integer exitCode, String error, List<String> outputTail,
                             Map<String, Double> metrics, Map<String, String> outputs) {

    public AttemptOutcome {
        outputTail = List.copyOf(outputTail);
        metrics = Map.copyOf(metrics);
        outputs = Map.copyOf(outputs);
    }

    public static AttemptOutcome succeeded(List<String> tail) {
        return new AttemptOutcome(Outcome.SUCCEEDED, 0, null, tail, Map.of(), Map.of());
    }
}
