package dev.stagecoach.pipeline;

import java.util.List;

/**
 * A typed run parameter.
 *
 * @param defaultValue the value used when a run does not give one, as text, or null
 * @param min lower bound for numbers and durations (as text in the parameter's type), or null
 * @param max upper bound, likewise
 * @param secret masked everywhere the value could appear: logs, events, reports, API answers
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
}
