package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.HttpCall;
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
 * What a stage is given when it is dispatched: the environment of its process, the inputs of
 * its kind ({@code with}), and the secret values in either that must be masked. Parameters
 * travel here, never inside the script text, so a value like {@code $(rm -rf /)} stays inert data.
 */
record StageEnvironment(Map<String, String> env, Map<String, String> inputs, List<String> secretValues) {

    /**
     * Values with <code>${{ ... }}</code> are rendered now, from the run as it stands: parameters,
     * earlier stages' outputs and metrics, run metadata, and secrets from {@code secrets} where
     * the language lets a value read them.
     */
    static StageEnvironment of(RunState run, StageSpec stage, int attempt, PipelineDefinition declared, SecretSource secrets) {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> secretValues = new ArrayList<>();
        run.parameters().forEach((name, value) -> env.put("PARAM_" + envName(name), value));
        Expression.Context withSecrets = context(run, declared, secrets, secretValues);
        // The loader refuses secrets elsewhere; a definition that slipped past it still gets none.
        Expression.Context withoutSecrets = context(run, declared, SecretSource.NONE, secretValues);
        stage.env().forEach((name, value) -> env.put(name, render(value, withSecrets)));
        env.put("STAGECOACH_RUN_ID", run.runId());
        env.put("STAGECOACH_PIPELINE", run.pipeline());
        env.put("STAGECOACH_STAGE", stage.name());
        env.put("STAGECOACH_ATTEMPT", Integer.toString(attempt));
        Map<String, String> inputs = new LinkedHashMap<>();
        stage.with().forEach((name, value) -> inputs.put(name,
                render(value, mayReadSecrets(stage, name) ? withSecrets : withoutSecrets)));
        return new StageEnvironment(env, inputs, secretValues);
    }

    private static boolean mayReadSecrets(StageSpec stage, String input) {
        return "http".equals(stage.kind()) && HttpCall.SECRET_INPUTS.contains(input);
    }

    /** Looks names up in the run; a secret it reads is added to {@code secretValues}. */
    private static Expression.Context context(RunState run, PipelineDefinition declared, SecretSource secrets,
                                              List<String> secretValues) {
        return path -> {
            if (path.size() == 2 && path.get(0).equals("secrets")) {
                String value = secrets.value(path.get(1));
                if (value != null) {
                    secretValues.add(value);
                }
                return value;
            }
            return StageResults.lookUp(path, run, declared);
        };
    }

    private static String render(String text, Expression.Context context) {
        return Interpolation.firstOpening(text) == 0 ? text : Interpolation.parse(text).render(context);
    }

    static String envName(String parameter) {
        return parameter.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }
}
