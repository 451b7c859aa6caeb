package dev.stagecoach.scheduler.observe;

import dev.stagecoach.events.RunEvent;
import java.time.Instant;

/** A run event as the API streams it. */
public record RunEventView(String runId, String pipeline, String type, String stage, Integer attempt, String message, Instant at) {

    static RunEventView of(RunEvent event) {
        return new RunEventView(event.getRunId(), event.getPipeline(), event.getType(), event.getStage(), event.getAttempt(),
                event.getMessage(), event.getAt());
    }

    /** True for the event that ends a run (it may still be resumed afterwards). */
    public boolean endsRun() {
        return stage == null && (type.equals("RUN_SUCCEEDED") || type.equals("RUN_FAILED") || type.equals("RUN_CANCELLED"));
    }
}
