package dev.stagecoach.pipeline;

import dev.stagecoach.secrets.SealedParameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks the parameters a run was started with against the pipeline and applies defaults. */
public final class ParameterBinder {

    private ParameterBinder() {
    }

    /** The run's parameter values, defaults applied; or every problem at once. Within this process' {@link PipelineLimits}. */
    public static Map<String, String> bind(PipelineDefinition definition, Map<String, String> given) {
        return bind(definition, given, PipelineLimits.current());
    }

    public static Map<String, String> bind(PipelineDefinition definition, Map<String, String> given, PipelineLimits limits) {
        return bind(definition, given, limits, false);
    }

    /**
     * The engine's check of a run it is asked for: as {@link #bind}, but the value of a secret
     * parameter must be sealed, and stays so. It was checked against its type where it entered,
     * before it was sealed; the engine cannot open it.
     */
    public static Map<String, String> bindSealed(PipelineDefinition definition, Map<String, String> given) {
        return bind(definition, given, PipelineLimits.current(), true);
    }

    private static Map<String, String> bind(PipelineDefinition definition, Map<String, String> given, PipelineLimits limits,
                                            boolean secretsSealed) {
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> declared = definition.parameters().stream().map(ParameterSpec::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        given.keySet().stream().filter(name -> !declared.contains(name)).sorted().forEach(name ->
                problems.add("parameter \"" + name + "\": not declared by pipeline \"" + definition.name() + "\""
                        + Suggestions.didYouMean(name, declared)
                        + (declared.isEmpty() ? "; it declares no parameters" : "; declared: " + String.join(", ", declared))));
        for (ParameterSpec spec : definition.parameters()) {
            String value = given.containsKey(spec.name()) ? given.get(spec.name()) : spec.defaultValue();
            if (value == null) {
                if (spec.required()) {
                    problems.add("parameter \"" + spec.name() + "\": required, but no value was given"
                            + (spec.description().isEmpty() ? "" : " (" + spec.description() + ")"));
                }
                continue;
            }
            if (secretsSealed && spec.secret()) {
                if (!SealedParameters.isSealed(value)) {
                    problems.add("parameter \"" + spec.name() + "\": secret, but its value is not sealed; start runs through the "
                            + "scheduler's API, a webhook or a trigger, which seal secret parameters");
                    continue;
                }
                values.put(spec.name(), value);
                continue;
            }
            if (value.length() > limits.parameterChars()) {
                // Not matched against the parameter's pattern or type: the length alone refuses it.
                problems.add("parameter \"" + spec.name() + "\": the value has " + value.length() + " characters; at most "
                        + limits.parameterChars() + " are allowed (stagecoach.limits.parameter-chars)");
                continue;
            }
            ParameterValues.problems(spec, value).forEach(p -> problems.add("parameter \"" + spec.name() + "\": " + p));
            values.put(spec.name(), value);
        }
        if (!problems.isEmpty()) {
            throw new InvalidParametersException(problems);
        }
        return values;
    }

    /** The same values with every secret replaced by a mask, for anything a person or another system sees. */
    public static Map<String, String> masked(PipelineDefinition definition, Map<String, String> values) {
        Map<String, String> masked = new LinkedHashMap<>(values);
        definition.parameters().stream().filter(ParameterSpec::secret)
                .forEach(p -> masked.computeIfPresent(p.name(), (k, v) -> Secrets.MASK));
        return masked;
    }
}
