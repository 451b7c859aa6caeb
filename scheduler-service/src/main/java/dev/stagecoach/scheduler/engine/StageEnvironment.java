package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.StageSpec;
import dev.stagecoach.pipeline.expr.Expression;
import dev.stagecoach.pipeline.expr.Interpolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment a stage's process gets, and the secret values in it that must be masked.
 * Parameters travel here, never inside the script text, so a value like {@code $(rm -rf /)}
 * stays inert data.
 */
record StageEnvironment(Map<String, String> env, List<String> secretValues) {

    /**
     * Values with <code>${{ ... }}</code> are rendered now, from the run as it stands: parameters,
     * earlier stages' outputs and metrics, run metadata, and secrets from {@code secrets}.
     */
    static StageEnvironment of(RunState run, StageSpec stage, int attempt, PipelineDefinition declared, SecretSource secrets) {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> secretValues = new ArrayList<>();
        run.parameters().forEach((name, value) -> env.put("PARAM_" + envName(name), value));
        Expression.Context context = path -> {
            if (path.size() == 2 && path.get(0).equals("secrets")) {
                String value = secrets.value(path.get(1));
                if (value != null) {
                    secretValues.add(value);
                }
                return value;
            }
            return StageResults.lookUp(path, run, declared);
        };
        stage.env().forEach((name, value) -> env.put(name, render(value, context)));
        env.put("STAGECOACH_RUN_ID", run.runId());
        env.put("STAGECOACH_PIPELINE", run.pipeline());
        env.put("STAGECOACH_STAGE", stage.name());
        env.put("STAGECOACH_ATTEMPT", Integer.toString(attempt));
        return new StageEnvironment(env, secretValues);
    }

    private static String render(String text, Expression.Context context) {
        return Interpolation.firstOpening(text) == 0 ? text : Interpolation.parse(text).render(context);
    }

    static String envName(String parameter) {
        return parameter.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }
}
