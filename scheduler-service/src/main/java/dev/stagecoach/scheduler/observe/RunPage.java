package dev.stagecoach.scheduler.observe;

import java.util.List;

/** One page of a run list, newest first; {@code next} is the cursor of the page after it, or null at the end. */
public record RunPage(List<RunSummary> runs, String next) {
}
