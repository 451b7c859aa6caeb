package dev.stagecoach.pipeline;

import dev.stagecoach.pipeline.expr.Expression;
import dev.stagecoach.pipeline.expr.ExpressionParser;
import dev.stagecoach.pipeline.expr.Interpolation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Checks what {@code when} conditions and {@code ${{ }}} interpolations read, once every
 * parameter and stage is known. Each name must exist, and a stage may read only stages it
 * waits for, directly or through others: a stage it does not wait for may still be running,
 * so its status, outputs and metrics would depend on timing.
 */
final class ReferenceCheck {

    /** Where an expression stands, which decides how it is parsed and whether it may read secrets. */
    enum Place {
        CONDITION("condition", false),
        ENV("env", true),
        INPUT("inputs", false),
        SECRET_INPUT("inputs", true);

        final String noun;
        final boolean readsSecrets;

        Place(String noun, boolean readsSecrets) {
            this.noun = noun;
            this.readsSecrets = readsSecrets;
        }
    }

    /** An expression or interpolation of one stage, with where to report its problems. */
    record Use(Node node, String path, String stage, Place place, String text) {
    }

    static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String READABLE = "params.<name>, stages.<name>.status, stages.<name>.outputs.<key>, "
            + "stages.<name>.metrics.<key>, run.id, run.pipeline or run.started_at";

    private final YamlNodes nodes;
    private final List<String> parameterNames;
    private final Set<String> secretParameters;
    private final List<String> stageNames = new ArrayList<>();
    private final Set<String> finallyNames = new HashSet<>();
    private final Map<String, List<String>> outputs = new HashMap<>();
    private final Set<String> fanningOut = new HashSet<>();
    /** For each stage, every stage it waits for, directly or not. */
    private final Map<String, Set<String>> waitsFor = new HashMap<>();

    ReferenceCheck(YamlNodes nodes, List<ParameterSpec> parameters, PipelineType type, List<StageSpec> stages,
            List<StageSpec> finallyStages) {
        this.nodes = nodes;
        this.parameterNames = parameters.stream().map(ParameterSpec::name).toList();
        this.secretParameters = parameters.stream().filter(ParameterSpec::secret).map(ParameterSpec::name).collect(java.util.stream.Collectors.toSet());
        Map<String, List<String>> needs = StageGraph.effectiveNeeds(type, stages);
        for (StageSpec stage : stages) {
            stageNames.add(stage.name());
            outputs.put(stage.name(), stage.outputs());
            waitsFor.put(stage.name(), closure(stage.name(), needs));
            if (stage.fanout() != null) {
                fanningOut.add(stage.name());
            }
        }
        // Finally stages start once every main stage has ended, one after another in the order written.
        Set<String> before = new LinkedHashSet<>(stageNames);
        for (StageSpec stage : finallyStages) {
            stageNames.add(stage.name());
            finallyNames.add(stage.name());
            outputs.put(stage.name(), stage.outputs());
            waitsFor.put(stage.name(), new HashSet<>(before));
            before.add(stage.name());
        }
    }

    private static Set<String> closure(String stage, Map<String, List<String>> needs) {
        Set<String> reached = new HashSet<>();
        List<String> queue = new ArrayList<>(needs.getOrDefault(stage, List.of()));
        while (!queue.isEmpty()) {
            String next = queue.remove(queue.size() - 1);
            if (reached.add(next)) {
                queue.addAll(needs.getOrDefault(next, List.of()));
            }
        }
        return reached;
    }

    void check(List<Use> uses) {
        for (Use use : uses) {
            List<Expression> expressions;
            try {
                expressions = use.place() == Place.CONDITION ? List.of(ExpressionParser.parse(use.text()))
                        : Interpolation.parse(use.text()).segments().stream().filter(Interpolation.Embedded.class::isInstance)
                        .map(s -> ((Interpolation.Embedded) s).expression()).toList();
            } catch (ExpressionParser.ParseException e) {
                String what = use.place() == Place.CONDITION ? "the condition" : "the interpolation";
                nodes.error(use.node(), use.path(), what + " does not parse at " + position(use.text(), e.column()) + ": " + e.getMessage());
                continue;
            }
            for (Expression expression : expressions) {
                for (Expression.Reference reference : expression.references()) {
                    String problem = problem(use, reference.path());
                    if (problem == null && readsSecret(reference.path()) && !(expression instanceof Expression.Reference)) {
                        // The scheduler never sees the value (the worker resolves it), so it can only be put in whole.
                        problem = "a secret is read alone, as ${{ " + reference + " }}, not inside an expression: "
                                + "the worker puts its value in, the scheduler never sees it";
                    }
                    if (problem != null) {
                        nodes.error(use.node(), use.path(), "\"" + reference + "\" at " + position(use.text(), reference.column()) + ": " + problem);
                    }
                }
            }
        }
    }

    private boolean readsSecret(List<String> path) {
        return path.get(0).equals("secrets") || path.get(0).equals("params") && path.size() == 2 && secretParameters.contains(path.get(1));
    }

    private String problem(Use use, List<String> path) {
        return switch (path.get(0)) {
            case "params" -> path.size() != 2 ? "write params.<name>"
                    : !parameterNames.contains(path.get(1)) ? "no parameter \"" + path.get(1) + "\"" + Suggestions.didYouMean(path.get(1), parameterNames)
                    : secretParameters.contains(path.get(1)) && !use.place().readsSecrets
                    ? "parameter \"" + path.get(1) + "\" is secret: it may be read only in env values and in the headers and body "
                    + "of an http stage (every stage also has it as $" + ParameterSpec.environmentVariable(path.get(1)) + ")"
                    : null;
            case "stages" -> stageProblem(use, path);
            case "run" -> path.size() == 2 && List.of("id", "pipeline", "started_at").contains(path.get(1)) ? null
                    : "write run.id, run.pipeline or run.started_at";
            case "secrets" -> !use.place().readsSecrets
                    ? "secrets may be read only in env values and in the headers and body of an http stage"
                    : path.size() == 2 && SECRET_NAME.matcher(path.get(1)).matches() ? null
                    : "write secrets.<NAME>, a name of letters, digits and '_'";
            default -> "unknown name; " + (use.place() == Place.CONDITION ? "a condition" : "an interpolation") + " reads " + READABLE
                    + (use.place().readsSecrets ? " or secrets.<NAME>" : "");
        };
    }

    private String stageProblem(Use use, List<String> path) {
        boolean status = path.size() == 3 && path.get(2).equals("status");
        boolean keyed = path.size() == 4 && (path.get(2).equals("outputs") || path.get(2).equals("metrics"));
        if (!status && !keyed) {
            return "write stages.<name>.status, stages.<name>.outputs.<key> or stages.<name>.metrics.<key>";
        }
        String target = path.get(1);
        if (target.equals(use.stage())) {
            return "a stage's " + use.place().noun + " cannot read its own " + path.get(2);
        }
        if (!stageNames.contains(target)) {
            return "no stage \"" + target + "\"" + Suggestions.didYouMean(target, stageNames);
        }
        if (!waitsFor.getOrDefault(use.stage(), Set.of()).contains(target)) {
            return "stage \"" + use.stage() + "\" does not wait for stage \"" + target + "\"; "
                    + (finallyNames.contains(target) ? "finally stages run after the stages, in the order written"
                    : finallyNames.contains(use.stage()) ? "finally stages run in the order written"
                    : "add \"" + target + "\" to its needs");
        }
        if (path.get(2).equals("outputs")) {
            List<String> declared = outputs.get(target);
            String key = path.get(3);
            if (fanningOut.contains(target)) {
                return "stage \"" + target + "\" fans out, so it has no outputs; read its metrics, which \"aggregate\" combines";
            }
            if (declared.isEmpty()) {
                return "stage \"" + target + "\" declares no outputs; list \"" + key + "\" under its outputs";
            }
            if (!declared.contains(key)) {
                return "stage \"" + target + "\" declares no output \"" + key + "\"" + Suggestions.didYouMean(key, declared)
                        + "; it declares " + String.join(", ", declared);
            }
        }
        return null;
    }

    /** "column 7" in a one-line text, "line 2, column 7" in a longer one, both counted from 1. */
    static String position(String text, int column) {
        String before = text.substring(0, Math.max(0, Math.min(column - 1, text.length())));
        int newline = before.lastIndexOf('\n');
        if (newline < 0 && text.indexOf('\n') < 0) {
            return "column " + column;
        }
        int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
        return "line " + line + ", column " + (before.length() - newline);
    }
}
