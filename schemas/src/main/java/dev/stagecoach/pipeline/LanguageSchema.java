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
    static final Scalar OUTPUT_NAME = new Scalar("string", List.of(), "^[A-Za-z_][A-Za-z0-9_-]*$");

    public static final Mapping RETRY = mapping(List.of(),
            "max_attempts", INTEGER, "Attempts in all, 1 to 20 (default 3)",
            "backoff", choice(RetryPolicy.Backoff.class), "exponential (default), linear or fixed",
            "initial_delay", DURATION, "Wait before the second attempt (default 5s)",
            "max_delay", DURATION, "No wait is longer than this (default 10m)",
            "jitter", NUMBER, "0 to 1: each wait is shortened by up to this share of it, by an amount that differs from attempt to attempt (default 0)");

    public static final Mapping OPTIONS = mapping(List.of(),
            "parallel_workers", new AnyOf(List.of(INTEGER, namedBy(SCALAR_OR_TEXT))),
            "At most this many stages or shards of a run in flight, 1 to 16 (default 4)",
            "timeout", new AnyOf(List.of(DURATION, namedBy(SCALAR_OR_TEXT))),
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
            "secret", BOOLEAN, "Sealed where the run starts and opened only by the worker; masked in every log line, event, report and answer; no default");

    public static final Mapping APPROVAL = mapping(List.of(),
            "approvers", new ListOf(TEXT), "Who may approve or reject (default: anyone)",
            "timeout", DURATION, "No decision within this long rejects the stage");

    public static final Mapping GATE = mapping(List.of("metric"),
            "metric", TEXT, "A metric the stage prints as ::metric <name>=<value>",
            "min", NUMBER, "The lowest acceptable value",
            "max", NUMBER, "The highest acceptable value",
            "severity", choice(Gate.Severity.class), "fail (default) fails the attempt; warn only warns");

    static final Shape INPUT = new AnyOf(List.of(TEXT, NUMBER, BOOLEAN, namedBy(SCALAR_OR_TEXT), new ListOf(INTEGER)));

    public static final Mapping STAGE = mapping(List.of("name"),
            "name", new Scalar("string", List.of(), "^[A-Za-z0-9][A-Za-z0-9_.-]*$"), "Unique within the pipeline",
            "needs", TEXTS, "Stages that must be done first",
            "run", TEXT, "A bash script (bash -eo pipefail); parameters arrive as PARAM_<NAME>; not interpolated",
            "uses", TEXT, "A stage kind instead of a script: noop, http, or a kind a worker knows",
            "with", namedBy(INPUT), "Inputs of the uses kind; text may hold ${{ expressions }}",
            "env", namedBy(SCALAR_OR_TEXT), "Environment variables of the stage; text may hold ${{ expressions }}",
            "outputs", new AnyOf(List.of(OUTPUT_NAME, new ListOf(OUTPUT_NAME))),
            "Values the stage sets by printing ::output <name>=<value>; later stages read stages.<stage>.outputs.<name>",
            "artifacts", TEXTS, "Paths or globs inside the run's workspace to keep after the stage",
            "pool", new Scalar("string", List.of(), "^[A-Za-z0-9._-]{1,100}$"), "The worker pool that runs it (default: default)",
            "timeout", DURATION, "The worker kills the process tree after this long (default 10m)",
            "start_timeout", DURATION,
            "No worker of its pool starting an attempt within this long loses the attempt (default: the scheduler's stagecoach.start-timeout, 60s)",
            "critical", BOOLEAN, "A failure fails the run (default true)",
            "retry", RETRY, "Overrides the pipeline's retry_policy",
            "manual_approval", new AnyOf(List.of(BOOLEAN, APPROVAL)), "Wait for a person to approve before running",
            "parallel", new AnyOf(List.of(BOOLEAN, INTEGER)), "Fan out into this many shards (true: parallel_workers)",
            "matrix", namedBy(new ListOf(SCALAR_OR_TEXT)), "One shard per combination of values",
            "aggregate", namedBy(choice(Aggregation.class)), "How each metric of the shards is combined: sum (default), min, max or avg",
            "rollback", TEXT, "A bash script that undoes the stage",
            "on_failure", choice(OnFailure.class), "retry (default), rollback_and_retry, rollback_run or abort",
            "when", TEXT, "A condition over params.<name>, stages.<name>.status|outputs.<key>|metrics.<key>, run.<id|pipeline|started_at>; false skips the stage",
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

    static final Scalar NAME_OF_SECRET = new Scalar("string", List.of(), "^[A-Za-z_][A-Za-z0-9_]*$");

    public static final Mapping CRON = mapping(List.of("schedule"),
            "schedule", new Scalar("string", List.of(), "^\\s*\\S+(\\s+\\S+){4}\\s*$"),
            "Five fields: minute hour day-of-month month day-of-week, e.g. \"0 3 * * 1-5\"",
            "timezone", TEXT, "The zone the schedule is read in, e.g. Europe/Paris (default UTC)");

    public static final Mapping WEBHOOK = mapping(List.of("secret_ref"),
            "secret_ref", NAME_OF_SECRET, "The name of the secret a caller must prove to know; never the secret itself",
            "params", namedBy(TEXT), "Run parameters from the request body: name: ${{ payload.<path> }}");

    public static final Mapping EVENT = mapping(List.of("topic"),
            "topic", new Scalar("string", List.of(), "^[A-Za-z0-9._-]+$"), "The Kafka topic to watch",
            "filter", TEXT, "A condition over event.<path>; only records for which it holds start a run");

    public static final Mapping CONDITIONAL = mapping(List.of("metric", "comparison", "threshold"),
            "metric", TEXT, "The metric to watch, e.g. queue.depth",
            "comparison", new Scalar("string", Trigger.Conditional.COMPARISONS, null), "How the metric is compared with the threshold; quote it",
            "threshold", NUMBER, "The number the metric is compared with",
            "for", DURATION, "How long the comparison must hold before a run starts (default 0s)");

    public static final Mapping TRIGGER = mapping(List.of(),
            "manual", new AnyOf(List.of(BOOLEAN, mapping(List.of()))), "People may start runs: manual: true",
            "cron", CRON, "On a schedule",
            "webhook", WEBHOOK, "On a request to the pipeline's webhook",
            "event", EVENT, "On a record of a Kafka topic",
            "conditional", CONDITIONAL, "When a metric crosses a threshold");

    public static final Mapping PIPELINE = mapping(List.of("name", "stages"),
            "name", new Scalar("string", List.of(), "^[A-Za-z0-9][A-Za-z0-9_.-]*$"), "The pipeline's name",
            "version", new Scalar("string", List.of(), "^\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?$"), "A semantic version",
            "description", TEXT, "What the pipeline is for",
            "type", choice(PipelineType.class), "How stages without needs are ordered: sequential (default), parallel, hybrid",
            "triggers", new ListOf(TRIGGER), "What starts a run, one trigger per item (default: manual only)",
            "parameters", namedBy(new AnyOf(List.of(PARAMETER, OPTIONS))),
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

    /** A mapping whose keys the author names, each holding {@code values}. */
    private static Mapping namedBy(Shape values) {
        return new Mapping(new LinkedHashMap<>(), List.of(), values);
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
