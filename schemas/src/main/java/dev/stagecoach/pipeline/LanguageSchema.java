package dev.stagecoach.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The shape of the pipeline language, written once: every key, what it holds and what it
 * means. The loader takes its allowed keys from here, and {@link JsonSchemaWriter} turns it
 * into the JSON Schema that editors use, so the two cannot disagree about which keys exist.
 */
public final class LanguageSchema {

    /** What a key holds. */
    public sealed interface Shape {
    }

    /** @param pattern a regular expression for text, or null */
    public record Scalar(String type, List<String> choices, String pattern) implements Shape {
    }

    public record ListOf(Shape items) implements Shape {
    }

    /** A mapping with known keys, or with keys the author names ({@code values} not null). */
    public record Mapping(Map<String, Field> fields, List<String> required, Shape values) implements Shape {

        public Set<String> keys() {
            return fields.keySet();
        }
    }

    /** One of several shapes, e.g. {@code manual_approval: true} or a mapping. */
    public record AnyOf(List<Shape> shapes) implements Shape {
    }

    public record Field(Shape shape, String description) {
    }

    static final String DURATION_PATTERN = "^\\s*(\\d+(ms|s|m|h|d))+\\s*$";
    static final Scalar TEXT = new Scalar("string", List.of(), null);
    static final Scalar DURATION = new Scalar("string", List.of(), DURATION_PATTERN);
    static final Scalar INTEGER = new Scalar("integer", List.of(), null);
    static final Scalar NUMBER = new Scalar("number", List.of(), null);
    static final Scalar BOOLEAN = new Scalar("boolean", List.of(), null);
    static final Shape SCALAR_OR_TEXT = new AnyOf(List.of(TEXT, NUMBER, BOOLEAN));
    static final Shape TEXTS = new AnyOf(List.of(TEXT, new ListOf(TEXT)));

    public static final Mapping RETRY = mapping(List.of(),
            "max_attempts", INTEGER, "Attempts in all, 1 to 20 (default 3)",
            "backoff", choice(RetryPolicy.Backoff.class), "exponential (default), linear or fixed",
            "initial_delay", DURATION, "Wait before the second attempt (default 5s)",
            "max_delay", DURATION, "No wait is longer than this (default 10m)");

    public static final Mapping OPTIONS = mapping(List.of(),
            "parallel_workers", new AnyOf(List.of(INTEGER, new Mapping(new LinkedHashMap<>(), List.of(), SCALAR_OR_TEXT))),
            "At most this many stages or shards of a run in flight, 1 to 16 (default 4)",
            "timeout", new AnyOf(List.of(DURATION, new Mapping(new LinkedHashMap<>(), List.of(), SCALAR_OR_TEXT))),
            "The run's deadline, at most 2h (default 30m)",
            "retry_policy", RETRY, "How failed attempts are retried");

    public static final Mapping PARAMETER = mapping(List.of(),
            "type", choice(ParameterType.class), "string (default), integer, number, boolean, duration, enum or list",
            "required", BOOLEAN, "A run must give a value",
            "default", new AnyOf(List.of(TEXT, NUMBER, BOOLEAN, new ListOf(TEXT))), "The value when a run gives none",
            "enum", new ListOf(SCALAR_OR_TEXT), "The allowed values",
            "min", SCALAR_OR_TEXT, "Lower bound for numbers and durations",
            "max", SCALAR_OR_TEXT, "Upper bound for numbers and durations",
            "pattern", TEXT, "A regular expression a string value must match",
            "description", TEXT, "What the parameter means",
            "secret", BOOLEAN, "Masked in every log line, event, report and answer");

    public static final Mapping APPROVAL = mapping(List.of(),
            "approvers", new ListOf(TEXT), "Who may approve or reject (default: anyone)",
            "timeout", DURATION, "No decision within this long rejects the stage");

    public static final Mapping GATE = mapping(List.of("metric"),
            "metric", TEXT, "A metric the stage prints as ::metric <name>=<value>",
            "min", NUMBER, "The lowest acceptable value",
            "max", NUMBER, "The highest acceptable value",
            "severity", choice(Gate.Severity.class), "fail (default) fails the attempt; warn only warns");

    public static final Mapping STAGE = mapping(List.of("name"),
            "name", new Scalar("string", List.of(), "^[A-Za-z0-9][A-Za-z0-9_.-]*$"), "Unique within the pipeline",
            "needs", TEXTS, "Stages that must be done first",
            "run", TEXT, "A bash script (bash -eo pipefail); parameters arrive as PARAM_<NAME>",
            "uses", TEXT, "A stage kind instead of a script, e.g. noop",
            "env", new Mapping(new LinkedHashMap<>(), List.of(), SCALAR_OR_TEXT), "Environment variables of the stage",
            "pool", TEXT, "The worker pool that runs it (default: default)",
            "timeout", DURATION, "The worker kills the process tree after this long (default 10m)",
            "critical", BOOLEAN, "A failure fails the run (default true)",
            "retry", RETRY, "Overrides the pipeline's retry_policy",
            "manual_approval", new AnyOf(List.of(BOOLEAN, APPROVAL)), "Wait for a person to approve before running",
            "parallel", new AnyOf(List.of(BOOLEAN, INTEGER)), "Fan out into this many shards (true: parallel_workers)",
            "matrix", new Mapping(new LinkedHashMap<>(), List.of(), new ListOf(SCALAR_OR_TEXT)), "One shard per combination of values",
            "rollback", TEXT, "A bash script that undoes the stage",
            "on_failure", choice(OnFailure.class), "retry (default), rollback_and_retry, rollback_run or abort",
            "when", TEXT, "A condition over params.<name>, stages.<name>.status, run.id; false skips the stage",
            "gates", new ListOf(GATE), "Checks on the metrics the stage reports");

    // Empty is allowed here so that editors agree with the loader, which only warns about it.
    static final Shape TARGET_TEXT = new AnyOf(List.of(TEXT, new Scalar("null", List.of(), null)));

    public static final Mapping TARGET = mapping(List.of(),
            "webhook", TARGET_TEXT, "A URL that receives a JSON POST",
            "email", TARGET_TEXT, "An address",
            "slack", TARGET_TEXT, "A channel; quote it: \"#deployments\"",
            "pagerduty", TARGET_TEXT, "A severity");

    public static final Mapping NOTIFICATIONS = mapping(List.of(),
            "on_start", new ListOf(TARGET), "When a run starts",
            "on_success", new ListOf(TARGET), "When a run succeeds",
            "on_failure", new ListOf(TARGET), "When a run fails or is cancelled",
            "on_approval", new ListOf(TARGET), "When a stage starts waiting for approval");

    public static final Mapping PIPELINE = mapping(List.of("name", "stages"),
            "name", new Scalar("string", List.of(), "^[A-Za-z0-9][A-Za-z0-9_.-]*$"), "The pipeline's name",
            "version", new Scalar("string", List.of(), "^\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?$"), "A semantic version",
            "description", TEXT, "What the pipeline is for",
            "type", choice(PipelineType.class), "How stages without needs are ordered: sequential (default), parallel, hybrid",
            "parameters", new Mapping(new LinkedHashMap<>(), List.of(), new AnyOf(List.of(PARAMETER, OPTIONS))),
            "Typed parameters of a run (options may be declared here too, as in the seed layout)",
            "options", OPTIONS, "Run-wide settings",
            "stages", new ListOf(STAGE), "The stages",
            "finally", new ListOf(STAGE), "Stages that run one after another once the outcome is known",
            "notifications", NOTIFICATIONS, "Who hears about the run");

    public static final Mapping ROOT = mapping(List.of("pipeline"), "pipeline", PIPELINE, "A Stagecoach pipeline");

    private LanguageSchema() {
    }

    private static Scalar choice(Class<? extends Enum<?>> type) {
        return new Scalar("string", java.util.Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList(), null);
    }

    /** Keys in the order given: key, shape, description, key, shape, description, ... */
    private static Mapping mapping(List<String> required, Object... triples) {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (int i = 0; i < triples.length; i += 3) {
            fields.put((String) triples[i], new Field((Shape) triples[i + 1], (String) triples[i + 2]));
        }
        return new Mapping(fields, required, null);
    }
}
