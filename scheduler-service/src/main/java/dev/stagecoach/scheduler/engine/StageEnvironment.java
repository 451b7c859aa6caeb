package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.HttpCall;
import dev.stagecoach.pipeline.ParameterSpec;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.StageSpec;
import dev.stagecoach.pipeline.expr.Expression;
import dev.stagecoach.pipeline.expr.Interpolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a stage is given when it is dispatched: the environment of its process and the inputs of
 * its kind ({@code with}). Parameters travel here, never inside the script text, so a value like
 * {@code $(rm -rf /)} stays inert data. A value that holds a secret or a secret parameter goes
 * in pieces instead ({@code secretEnv}, {@code secretInputs}): the worker puts it together.
 */
record StageEnvironment(Map<String, String> env, Map<String, String> inputs,
                        Map<String, SecretText> secretEnv, Map<String, SecretText> secretInputs) {

    /**
     * Values with <code>${{ ... }}</code> are rendered now, from the run as it stands: parameters,
     * earlier stages' outputs and metrics, run metadata. {@code secrets.<NAME>} and secret
     * parameters, where the language lets a value read them, are left for the worker.
     */
    static StageEnvironment of(RunState run, StageSpec stage, int attempt, PipelineDefinition declared) {
        Set<String> secretParameters = declared.parameters().stream().filter(ParameterSpec::secret)
                .map(ParameterSpec::name).collect(Collectors.toSet());
        Renderer renderer = new Renderer(run, declared, secretParameters);
        Values env = new Values();
        run.parameters().forEach((name, value) -> env.put(ParameterSpec.environmentVariable(name), secretParameters.contains(name)
                ? new SecretText(List.of(new SecretText.SealedParameter(name, value))) : value));
        stage.env().forEach((name, value) -> env.put(name, renderer.render(value, true)));
        env.put("STAGECOACH_RUN_ID", run.runId());
        env.put("STAGECOACH_PIPELINE", run.pipeline());
        env.put("STAGECOACH_STAGE", stage.name());
        env.put("STAGECOACH_ATTEMPT", Integer.toString(attempt));
        Values inputs = new Values();
        stage.with().forEach((name, value) -> inputs.put(name, renderer.render(value, mayReadSecrets(stage, name))));
        return new StageEnvironment(env.plain, inputs.plain, env.secret, inputs.secret);
    }

    private static boolean mayReadSecrets(StageSpec stage, String input) {
        return "http".equals(stage.kind()) && HttpCall.SECRET_INPUTS.contains(input);
    }

    /** One map of values, kept as plain text or as pieces; a later value of a name replaces the earlier one. */
    private static final class Values {
        final Map<String, String> plain = new LinkedHashMap<>();
        final Map<String, SecretText> secret = new LinkedHashMap<>();

        void put(String name, Object value) {
            plain.remove(name);
            secret.remove(name);
            if (value instanceof SecretText text) {
                secret.put(name, text);
            } else {
                plain.put(name, (String) value);
            }
        }
    }

    private record Renderer(RunState run, PipelineDefinition declared, Set<String> secretParameters) {

        /** The value as text, or as {@link SecretText} when it reads a secret and may. */
        Object render(String text, boolean mayReadSecrets) {
            if (Interpolation.firstOpening(text) == 0) {
                return text;
            }
            List<SecretText.Piece> pieces = new ArrayList<>();
            StringBuilder plain = new StringBuilder();
            boolean secret = false;
            for (Interpolation.Segment segment : Interpolation.parse(text).segments()) {
                SecretText.Piece piece = mayReadSecrets ? secretPiece(segment) : null;
                if (piece != null) {
                    secret = true;
                    if (!plain.isEmpty()) {
                        pieces.add(new SecretText.Text(plain.toString()));
                        plain.setLength(0);
                    }
                    pieces.add(piece);
                } else if (segment instanceof Interpolation.Literal literal) {
                    plain.append(literal.text());
                } else if (segment instanceof Interpolation.Embedded embedded) {
                    String value = Expression.text(embedded.expression().evaluate(this::lookUp));
                    plain.append(value == null ? "" : value);
                }
            }
            if (!secret) {
                return plain.toString();
            }
            if (!plain.isEmpty()) {
                pieces.add(new SecretText.Text(plain.toString()));
            }
            return new SecretText(pieces);
        }

        /** A secret read alone, as the loader requires; one inside an expression was refused by it. */
        private SecretText.Piece secretPiece(Interpolation.Segment segment) {
            if (!(segment instanceof Interpolation.Embedded embedded) || !(embedded.expression() instanceof Expression.Reference reference)
                    || reference.path().size() != 2) {
                return null;
            }
            String name = reference.path().get(1);
            if (reference.path().get(0).equals("secrets")) {
                return new SecretText.Secret(name);
            }
            if (reference.path().get(0).equals("params") && secretParameters.contains(name)) {
                String sealed = run.parameters().get(name);
                return sealed == null ? new SecretText.Text("") : new SecretText.SealedParameter(name, sealed);
            }
            return null;
        }

        /** Neither a secret nor a sealed parameter is rendered into text: a definition the loader never saw gets nothing. */
        private String lookUp(List<String> path) {
            return path.get(0).equals("secrets") ? null : StageResults.lookUp(path, run, declared);
        }
    }
}
