package dev.stagecoach.scheduler.triggers;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Run ids derived from what caused the run. The engine ignores a second request with a run id
 * it knows, so a cause seen twice (a redelivered record, a retried webhook, a schedule ticked
 * by two scheduler instances or again after a restart) starts one run, not two.
 */
public final class RunIds {

    private RunIds() {
    }

    /** A name-based UUID of the pipeline and the parts that identify the cause, e.g. {@code "cron", expression, zone, instant}. */
    public static String derive(String pipeline, String... cause) {
        StringBuilder text = new StringBuilder(pipeline);
        for (String part : cause) {
            text.append('\n').append(part);
        }
        return UUID.nameUUIDFromBytes(text.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }
}
