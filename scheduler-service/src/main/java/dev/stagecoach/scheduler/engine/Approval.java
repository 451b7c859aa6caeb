package dev.stagecoach.scheduler.engine;

import java.time.Instant;

/** Who decided about a stage that waited for approval, when, and what they said. */
public record Approval(boolean approved, String by, Instant at, String comment) {
}
