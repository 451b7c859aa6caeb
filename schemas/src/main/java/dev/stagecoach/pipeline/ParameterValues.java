package dev.stagecoach.pipeline;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks a parameter value, given as text, against its declaration. */
public final class ParameterValues {

    private ParameterValues() {
    }

    /** Why {@code value} is not of {@code type}, or empty when it is. */
    public static Optional<String> typeProblem(ParameterType type, String value) {
        try {
            switch (type) {
                case INTEGER -> Long.parseLong(value.trim());
                case NUMBER -> new BigDecimal(value.trim());
                case DURATION -> Durations.parse(value);
                case BOOLEAN -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        return Optional.of("expected true or false, got " + quoted(value));
                    }
                }
                default -> {
                }
            }
            return Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.of("expected " + (type == ParameterType.INTEGER ? "a whole number" : "a number") + ", got " + quoted(value));
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Every way {@code value} breaks the declaration; the messages never repeat a secret value. */
    public static List<String> problems(ParameterSpec spec, String value) {
        List<String> problems = new ArrayList<>();
        String shown = spec.secret() ? "the given value" : quoted(value);
        Optional<String> typeProblem = typeProblem(spec.type(), value);
        if (typeProblem.isPresent()) {
            problems.add(spec.secret() ? "expected " + article(spec.type()) + " value" : typeProblem.get());
            return problems;
        }
        if (!spec.enumValues().isEmpty() && !spec.enumValues().contains(value)) {
            problems.add(shown + " is not one of " + String.join(", ", spec.enumValues())
                    + (spec.secret() ? "" : Suggestions.didYouMean(value, spec.enumValues())));
        }
        if (spec.pattern() != null && !Pattern.compile(spec.pattern()).matcher(value).matches()) {
            problems.add(shown + " does not match the pattern " + spec.pattern());
        }
        if (spec.min() != null && typeProblem(spec.type(), spec.min()).isEmpty() && compare(spec.type(), value, spec.min()) < 0) {
            problems.add(shown + " is below the minimum " + spec.min());
        }
        if (spec.max() != null && typeProblem(spec.type(), spec.max()).isEmpty() && compare(spec.type(), value, spec.max()) > 0) {
            problems.add(shown + " is above the maximum " + spec.max());
        }
        return problems;
    }

    private static String article(ParameterType type) {
        String name = type.name().toLowerCase(java.util.Locale.ROOT);
        return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    private static int compare(ParameterType type, String a, String b) {
        return switch (type) {
            case DURATION -> Durations.parse(a).compareTo(Durations.parse(b));
            case INTEGER, NUMBER -> new BigDecimal(a.trim()).compareTo(new BigDecimal(b.trim()));
            default -> 0;
        };
    }

    private static String quoted(String value) {
        return "\"" + value + "\"";
    }
}
