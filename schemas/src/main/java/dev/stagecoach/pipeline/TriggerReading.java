package dev.stagecoach.pipeline;

import dev.stagecoach.pipeline.expr.Expression;
import dev.stagecoach.pipeline.expr.ExpressionParser;
import dev.stagecoach.pipeline.expr.Interpolation;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads a pipeline's {@code triggers}, given its parameters, which webhook params and unattended runs depend on. */
final class TriggerReading {

    private static final Set<String> KINDS = LanguageSchema.TRIGGER.keys();
    private static final Set<String> CRON_KEYS = LanguageSchema.CRON.keys();
    private static final Set<String> WEBHOOK_KEYS = LanguageSchema.WEBHOOK.keys();
    private static final Set<String> EVENT_KEYS = LanguageSchema.EVENT.keys();
    private static final Set<String> CONDITIONAL_KEYS = LanguageSchema.CONDITIONAL.keys();
    // The message never repeats what was written under "secret": it may be the secret itself.
    private static final Map<String, String> INLINE_SECRET = Map.of("secret", "a secret is never written in the pipeline file;"
            + " keep it among the deployment's secrets and name it: secret_ref: RELEASE_WEBHOOK");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern METRIC = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Duration MAX_HOLD = Duration.ofDays(1);
    // "=>" is one edit from ">" and from ">="; the longer one is what was meant.
    private static final List<String> TWO_CHARACTERS_FIRST = List.of(">=", "<=", "==", "!=", ">", "<");

    private final YamlNodes nodes;
    private final List<ParameterSpec> parameters;
    private final List<String> parameterNames;

    TriggerReading(YamlNodes nodes, List<ParameterSpec> parameters) {
        this.nodes = nodes;
        this.parameters = parameters;
        this.parameterNames = parameters.stream().map(ParameterSpec::name).toList();
    }

    List<Trigger> triggers(Node node, String path) {
        List<Trigger> triggers = new ArrayList<>();
        List<Node> items = nodes.sequence(node, path);
        if (items.isEmpty() && node instanceof SequenceNode) {
            nodes.error(node, path, "an empty list of triggers would start nothing; leave \"triggers\" out to start runs by hand only");
        }
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            Map<String, Node> keys = nodes.mapping(items.get(i), itemPath, KINDS);
            if (keys.size() > 1) {
                nodes.error(items.get(i), itemPath, "one trigger per list item; found " + String.join(", ", keys.keySet()));
                continue;
            }
            if (keys.isEmpty()) {
                if (items.get(i) instanceof MappingNode mapping && mapping.getValue().isEmpty()) {
                    nodes.error(items.get(i), itemPath, "an empty trigger; name one of " + String.join(", ", KINDS));
                }
                continue;
            }
            Map.Entry<String, Node> entry = keys.entrySet().iterator().next();
            String kindPath = itemPath + "." + entry.getKey();
            Trigger trigger = switch (entry.getKey()) {
                case "manual" -> manual(entry.getValue(), kindPath);
                case "cron" -> cron(entry.getValue(), kindPath);
                case "webhook" -> webhook(entry.getValue(), kindPath);
                case "event" -> event(entry.getValue(), kindPath);
                default -> conditional(entry.getValue(), kindPath);
            };
            if (trigger != null) {
                checkUnattendedRuns(trigger, entry.getValue(), kindPath);
                triggers.add(trigger);
            }
        }
        return triggers;
    }

    private Trigger manual(Node node, String path) {
        if (node instanceof MappingNode mapping) {
            if (mapping.getValue().isEmpty()) {
                return Trigger.MANUAL;
            }
            nodes.error(node, path, "the manual trigger takes no settings; write manual: true");
            return null;
        }
        Boolean wanted = nodes.bool(node, path);
        if (Boolean.FALSE.equals(wanted)) {
            nodes.error(node, path, "manual: false declares nothing; leave the item out");
        }
        return Boolean.TRUE.equals(wanted) ? Trigger.MANUAL : null;
    }

    private Trigger cron(Node node, String path) {
        Map<String, Node> keys = nodes.mapping(node, path, CRON_KEYS);
        if (!keys.containsKey("schedule") && node instanceof MappingNode) {
            nodes.error(node, path, "missing required key \"schedule\": five fields, minute hour day-of-month month day-of-week, e.g. \"0 3 * * 1-5\"");
        }
        CronSchedule schedule = null;
        String text = keys.containsKey("schedule") ? nodes.string(keys.get("schedule"), path + ".schedule") : null;
        if (text != null) {
            try {
                schedule = CronSchedule.parse(text);
            } catch (IllegalArgumentException e) {
                nodes.error(keys.get("schedule"), path + ".schedule", e.getMessage());
            }
        }
        ZoneId zone = keys.containsKey("timezone") ? zone(keys.get("timezone"), path + ".timezone") : Trigger.Cron.DEFAULT_ZONE;
        return schedule == null || zone == null ? null : new Trigger.Cron(schedule, zone);
    }

    private ZoneId zone(Node node, String path) {
        String text = nodes.string(node, path);
        if (text == null) {
            return null;
        }
        try {
            return ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            String sameButCase = ZoneId.getAvailableZoneIds().stream().filter(id -> id.equalsIgnoreCase(text.trim())).findFirst()
                    .map(id -> " (did you mean \"" + id + "\"?)").orElse(null);
            nodes.error(node, path, "\"" + text + "\" is not a time zone"
                    + (sameButCase != null ? sameButCase : Suggestions.didYouMean(text.trim(), ZoneId.getAvailableZoneIds()))
                    + "; write a region such as Europe/Paris or America/New_York, or UTC");
            return null;
        }
    }

    private Trigger webhook(Node node, String path) {
        Map<String, Node> keys = nodes.mapping(node, path, WEBHOOK_KEYS, INLINE_SECRET);
        String secretRef = null;
        if (keys.containsKey("secret_ref")) {
            secretRef = nodes.string(keys.get("secret_ref"), path + ".secret_ref");
            if (secretRef != null && !ReferenceCheck.SECRET_NAME.matcher(secretRef).matches()) {
                String named = secretRef.replaceAll("^\\$\\{\\{\\s*secrets\\.([A-Za-z0-9_]+)\\s*}}$", "$1");
                nodes.error(keys.get("secret_ref"), path + ".secret_ref", !named.equals(secretRef)
                        ? "secret_ref takes the secret's name without ${{ }}: secret_ref: " + named
                        : "secret_ref is the name of a secret, made of letters, digits and '_', not the secret's value");
                secretRef = null;
            }
        } else if (node instanceof MappingNode && YamlNodes.valueOf(node, "secret").isEmpty()) {
            nodes.error(node, path, "missing required key \"secret_ref\": the name of the secret a caller must prove to know,"
                    + " so that not anyone who finds the URL can start runs");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (keys.containsKey("params")) {
            nodes.openMapping(keys.get("params"), path + ".params").forEach((name, valueNode) -> {
                String paramPath = path + ".params." + name;
                if (!parameterNames.contains(name)) {
                    nodes.error(valueNode, paramPath, "no parameter \"" + name + "\"" + Suggestions.didYouMean(name, parameterNames)
                            + (parameterNames.isEmpty() ? "; the pipeline declares none" : "; declared: " + String.join(", ", parameterNames)));
                    return;
                }
                String value = nodes.string(valueNode, paramPath);
                if (value != null && readsOnly(value, valueNode, paramPath, true, "payload", "a webhook's params read payload.<path>, the request's JSON body")) {
                    params.put(name, value);
                }
            });
        }
        return secretRef == null ? null : new Trigger.Webhook(secretRef, params);
    }

    private Trigger event(Node node, String path) {
        Map<String, Node> keys = nodes.mapping(node, path, EVENT_KEYS);
        String topic = null;
        if (keys.containsKey("topic")) {
            topic = nodes.string(keys.get("topic"), path + ".topic");
            if (topic != null && !TOPIC.matcher(topic).matches()) {
                nodes.error(keys.get("topic"), path + ".topic", "\"" + topic + "\" is not a Kafka topic name; use letters, digits, '.', '_' and '-'");
                topic = null;
            }
        } else if (node instanceof MappingNode) {
            nodes.error(node, path, "missing required key \"topic\": the Kafka topic whose records start runs");
        }
        String filter = keys.containsKey("filter") ? nodes.string(keys.get("filter"), path + ".filter") : null;
        if (filter != null && !readsOnly(filter, keys.get("filter"), path + ".filter", false, "event", "a filter reads event.<path>, the record's JSON value")) {
            filter = null;
        }
        return topic == null || (keys.containsKey("filter") && filter == null) ? null : new Trigger.Event(topic, filter);
    }

    private Trigger conditional(Node node, String path) {
        Map<String, Node> keys = nodes.mapping(node, path, CONDITIONAL_KEYS);
        for (String required : LanguageSchema.CONDITIONAL.required()) {
            if (!keys.containsKey(required) && node instanceof MappingNode) {
                nodes.error(node, path, "missing required key \"" + required + "\"; a conditional trigger reads as"
                        + " metric comparison threshold, e.g. {metric: queue.depth, comparison: \">\", threshold: 1000}");
            }
        }
        String metric = keys.containsKey("metric") ? nodes.string(keys.get("metric"), path + ".metric") : null;
        if (metric != null && !METRIC.matcher(metric).matches()) {
            nodes.error(keys.get("metric"), path + ".metric", "\"" + metric + "\" is not a metric name; use letters, digits, '_', '.' and '-'");
            metric = null;
        }
        String comparison = keys.containsKey("comparison") ? comparison(keys.get("comparison"), path + ".comparison") : null;
        Double threshold = keys.containsKey("threshold") ? nodes.number(keys.get("threshold"), path + ".threshold") : null;
        Duration holdFor = keys.containsKey("for") ? nodes.duration(keys.get("for"), path + ".for", Duration.ZERO, MAX_HOLD) : Duration.ZERO;
        if (metric == null || comparison == null || threshold == null || holdFor == null) {
            return null;
        }
        return new Trigger.Conditional(metric, comparison, threshold, holdFor);
    }

    private String comparison(Node node, String path) {
        String text = nodes.string(node, path);
        if (text == null || Trigger.Conditional.COMPARISONS.contains(text.trim())) {
            return text == null ? null : text.trim();
        }
        // Unquoted, YAML reads ">" as the start of a folded text and "!=" as a tag: either leaves nothing.
        String hint = text.isEmpty() ? "; YAML reads an unquoted > or ! as something else: quote it, e.g. comparison: \">\""
                : Suggestions.didYouMean(text.trim(), TWO_CHARACTERS_FIRST);
        nodes.error(node, path, "\"" + text + "\" is not one of " + String.join(", ", Trigger.Conditional.COMPARISONS) + hint);
        return null;
    }

    /**
     * Whether {@code text} parses, as an interpolation or as a condition, and reads only
     * {@code root.<path>}; reports every problem, saying {@code rule} about a wrong name.
     */
    private boolean readsOnly(String text, Node node, String path, boolean interpolated, String root, String rule) {
        List<Expression.Reference> references;
        try {
            references = interpolated ? Interpolation.parse(text).references() : ExpressionParser.parse(text).references();
        } catch (ExpressionParser.ParseException e) {
            nodes.error(node, path, (interpolated ? "the interpolation" : "the filter") + " does not parse at "
                    + ReferenceCheck.position(text, e.column()) + ": " + e.getMessage());
            return false;
        }
        boolean ok = true;
        for (Expression.Reference reference : references) {
            if (!reference.path().get(0).equals(root) || reference.path().size() < 2) {
                nodes.error(node, path, "\"" + reference + "\" at " + ReferenceCheck.position(text, reference.column()) + ": " + rule);
                ok = false;
            }
        }
        return ok;
    }

    /** A run that no person starts cannot be asked for a parameter, so each required one needs a value from elsewhere. */
    private void checkUnattendedRuns(Trigger trigger, Node node, String path) {
        if (trigger instanceof Trigger.Manual) {
            return;
        }
        for (ParameterSpec parameter : parameters) {
            if (!parameter.required() || parameter.defaultValue() != null) {
                continue;
            }
            if (trigger instanceof Trigger.Webhook webhook) {
                if (!webhook.params().containsKey(parameter.name())) {
                    nodes.error(node, path, "parameter \"" + parameter.name() + "\" is required and has no default;"
                            + " set it under params, e.g. " + parameter.name() + ": ${{ payload.<path> }}");
                }
            } else {
                nodes.error(node, path, (trigger instanceof Trigger.Event ? "an " : "a ") + trigger.kind() + " trigger starts runs without parameters, but \""
                        + parameter.name() + "\" is required and has no default; give it a default");
            }
        }
    }
}
