package dev.stagecoach.pipeline;

import java.util.List;
import java.util.Locale;

/**
 * A typed run parameter.
 *
 * @param defaultValue the value used when a run does not give one, as text, or null
 * @param min lower bound for numbers and durations (as text in the parameter's type), or null
 * @param max upper bound, likewise
 * @param secret sealed where it enters and opened only by the worker that runs a stage; masked
 *               everywhere the value could appear: logs, events, reports, API answers
 */
public record ParameterSpec(
        String name,
        ParameterType type,
        boolean required,
        String defaultValue,
        List<String> enumValues,
        String min,
        String max,
        String pattern,
        String description,
        boolean secret) {

    public ParameterSpec {
        enumValues = List.copyOf(enumValues);
    }

    /** The environment variable every stage of a run gets the value in: {@code PARAM_<NAME>}. */
    public static String environmentVariable(String parameter) {
        return "PARAM_" + parameter.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }
}
