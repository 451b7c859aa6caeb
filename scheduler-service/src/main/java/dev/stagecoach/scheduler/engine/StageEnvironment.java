package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.StageSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The environment a stage's process gets. Parameters travel here, never inside the script
 * text, so a value like {@code $(rm -rf /)} stays inert data.
 */
final class StageEnvironment {

    private StageEnvironment() {
    }

    static Map<String, String> of(RunState run, StageSpec stage, int attempt) {
        Map<String, String> env = new LinkedHashMap<>();
        run.parameters().forEach((name, value) -> env.put("PARAM_" + envName(name), value));
        env.putAll(stage.env());
        env.put("STAGECOACH_RUN_ID", run.runId());
        env.put("STAGECOACH_PIPELINE", run.pipeline());
        env.put("STAGECOACH_STAGE", stage.name());
        env.put("STAGECOACH_ATTEMPT", Integer.toString(attempt));
        return env;
    }

    static String envName(String parameter) {
        return parameter.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }
}
