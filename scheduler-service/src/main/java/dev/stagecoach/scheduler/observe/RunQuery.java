package dev.stagecoach.scheduler.observe;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Which runs a list shows: every filter is optional; {@code since} and {@code until} bound
 * the run's creation time ({@code since} inclusive, {@code until} exclusive).
 *
 * @param after the cursor of the page before (the last run it showed), or null for the newest runs
 */
public record RunQuery(String pipeline, String status, String trigger, Instant since, Instant until, int limit, Cursor after) {

    public static final int MAX_LIMIT = 500;

    public RunQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
    }

    boolean matches(RunSummary run) {
        return (pipeline == null || pipeline.equals(run.pipeline()))
                && (status == null || status.equalsIgnoreCase(run.status()))
                && (trigger == null || trigger.equalsIgnoreCase(run.trigger()))
                && (since == null || !run.createdAt().isBefore(since))
                && (until == null || run.createdAt().isBefore(until));
    }

    /** A place in the newest-first order of runs: by creation time, then run id. */
    public record Cursor(long createdAtMillis, String runId) implements Comparable<Cursor> {

        static Cursor of(RunSummary run) {
            return new Cursor(run.createdAt().toEpochMilli(), run.runId());
        }

        @Override
        public int compareTo(Cursor other) {
            int byTime = Long.compare(other.createdAtMillis, createdAtMillis);
            return byTime != 0 ? byTime : runId.compareTo(other.runId);
        }

        /** Opaque to clients: they hand back what a page gave them. */
        public String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((createdAtMillis + ":" + runId).getBytes(StandardCharsets.UTF_8));
        }

        /** @throws IllegalArgumentException when {@code text} is no cursor a page gave */
        public static Cursor decode(String text) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return new Cursor(Long.parseLong(decoded.substring(0, colon)), decoded.substring(colon + 1));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("cursor \"" + text + "\" is not one a page of runs gave; start without it");
            }
        }
    }
}
