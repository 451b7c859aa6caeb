package dev.stagecoach.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes a definition back as pipeline YAML that {@link PipelineLoader} reads as the same
 * definition: keys in the documented order, defaults left out.
 */
public final class PipelineWriter {

    private PipelineWriter() {
    }

    public static String write(PipelineDefinition definition) {
        Map<String, Object> pipeline = new LinkedHashMap<>();
        pipeline.put("name", definition.name());
        pipeline.put("version", definition.version());
        if (!definition.description().isEmpty()) {
            pipeline.put("description", definition.description());
        }
        pipeline.put("type", lower(definition.type()));
        if (!definition.triggers().equals(List.of(Trigger.MANUAL))) {
            pipeline.put("triggers", definition.triggers().stream().map(PipelineWriter::trigger).toList());
        }
        if (!definition.parameters().isEmpty()) {
            Map<String, Object> parameters = new LinkedHashMap<>();
            definition.parameters().forEach(p -> parameters.put(p.name(), parameter(p)));
            pipeline.put("parameters", parameters);
        }
        Options options = definition.options();
        Map<String, Object> optionMap = new LinkedHashMap<>();
        optionMap.put("parallel_workers", options.parallelWorkers());
        optionMap.put("timeout", Durations.format(options.timeout()));
        optionMap.put("retry_policy", retry(options.retryPolicy()));
        pipeline.put("options", optionMap);
        pipeline.put("stages", definition.stages().stream().map(PipelineWriter::stage).toList());
        if (!definition.finallyStages().isEmpty()) {
            pipeline.put("finally", definition.finallyStages().stream().map(PipelineWriter::stage).toList());
        }
        if (!definition.notifications().isEmpty()) {
            Map<String, Object> notifications = new LinkedHashMap<>();
            for (NotificationEvent event : NotificationEvent.values()) {
                List<NotificationTarget> targets = definition.notifications().get(event);
                if (targets != null) {
                    notifications.put(event.key(), targets.stream().map(t -> Map.of(lower(t.channel()), t.target())).toList());
                }
            }
            pipeline.put("notifications", notifications);
        }
        DumperOptions style = new DumperOptions();
        style.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        style.setIndent(2);
        style.setIndicatorIndent(2);
        style.setIndentWithIndicator(true);
        return new Yaml(style).dump(Map.of("pipeline", pipeline));
    }

    private static Map<String, Object> parameter(ParameterSpec p) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", lower(p.type()));
        if (p.required()) {
            map.put("required", true);
        }
        if (p.defaultValue() != null) {
            map.put("default", p.defaultValue());
        }
        if (!p.enumValues().isEmpty()) {
            map.put("enum", p.enumValues());
        }
        putIfSet(map, "min", p.min());
        putIfSet(map, "max", p.max());
        putIfSet(map, "pattern", p.pattern());
        if (!p.description().isEmpty()) {
            map.put("description", p.description());
        }
        if (p.secret()) {
            map.put("secret", true);
        }
        return map;
    }

    private static Map<String, Object> retry(RetryPolicy policy) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("max_attempts", policy.maxAttempts());
        map.put("backoff", lower(policy.backoff()));
        map.put("initial_delay", Durations.format(policy.initialDelay()));
        map.put("max_delay", Durations.format(policy.maxDelay()));
        if (policy.jitter() != 0) {
            map.put("jitter", policy.jitter());
        }
        return map;
    }

    private static Map<String, Object> trigger(Trigger trigger) {
        Map<String, Object> settings = new LinkedHashMap<>();
        if (trigger instanceof Trigger.Manual) {
            return Map.of(trigger.kind(), true);
        } else if (trigger instanceof Trigger.Cron cron) {
            settings.put("schedule", cron.schedule().expression());
            settings.put("timezone", cron.zone().getId());
        } else if (trigger instanceof Trigger.Webhook webhook) {
            settings.put("secret_ref", webhook.secretRef());
            if (!webhook.params().isEmpty()) {
                settings.put("params", new LinkedHashMap<>(webhook.params()));
            }
        } else if (trigger instanceof Trigger.Event event) {
            settings.put("topic", event.topic());
            putIfSet(settings, "filter", event.filter());
        } else if (trigger instanceof Trigger.Conditional conditional) {
            settings.put("metric", conditional.metric());
            settings.put("comparison", conditional.comparison());
            settings.put("threshold", conditional.threshold());
            settings.put("for", Durations.format(conditional.holdFor()));
        }
        return Map.of(trigger.kind(), settings);
    }

    /** The inputs as written: an http stage's headers as a mapping and its expected statuses as numbers. */
    private static Map<String, Object> inputs(StageSpec s) {
        Map<String, Object> inputs = new LinkedHashMap<>(s.with());
        if ("http".equals(s.uses())) {
            inputs.computeIfPresent("headers", (k, lines) -> HttpCall.headers((String) lines));
            inputs.computeIfPresent("expect_status", (k, codes) -> {
                List<Integer> statuses = java.util.Arrays.stream(((String) codes).split(",")).map(Integer::valueOf).toList();
                return statuses.size() == 1 ? statuses.get(0) : statuses;
            });
        }
        return inputs;
    }

    private static Map<String, Object> stage(StageSpec s) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", s.name());
        if (!s.needs().isEmpty()) {
            map.put("needs", s.needs());
        }
        putIfSet(map, "run", s.run());
        putIfSet(map, "uses", s.uses());
        if (!s.with().isEmpty()) {
            map.put("with", inputs(s));
        }
        if (!s.env().isEmpty()) {
            map.put("env", new LinkedHashMap<>(s.env()));
        }
        if (!s.outputs().isEmpty()) {
            map.put("outputs", s.outputs());
        }
        if (!s.artifacts().isEmpty()) {
            map.put("artifacts", s.artifacts());
        }
        if (!s.pool().equals(StageSpec.DEFAULT_POOL)) {
            map.put("pool", s.pool());
        }
        map.put("timeout", Durations.format(s.timeout()));
        if (s.startTimeout() != null) {
            map.put("start_timeout", Durations.format(s.startTimeout()));
        }
        if (!s.critical()) {
            map.put("critical", false);
        }
        if (s.retry() != null) {
            map.put("retry", retry(s.retry()));
        }
        if (s.manualApproval() != null) {
            Map<String, Object> approval = new LinkedHashMap<>();
            if (!s.manualApproval().approvers().isEmpty()) {
                approval.put("approvers", s.manualApproval().approvers());
            }
            if (s.manualApproval().timeout() != null) {
                approval.put("timeout", Durations.format(s.manualApproval().timeout()));
            }
            map.put("manual_approval", approval.isEmpty() ? true : approval);
        }
        if (s.fanout() != null) {
            if (s.fanout().matrix().isEmpty()) {
                map.put("parallel", s.fanout().shards());
            } else {
                map.put("matrix", new LinkedHashMap<>(s.fanout().matrix()));
            }
        }
        if (!s.aggregate().isEmpty()) {
            Map<String, Object> aggregate = new LinkedHashMap<>();
            s.aggregate().forEach((metric, aggregation) -> aggregate.put(metric, lower(aggregation)));
            map.put("aggregate", aggregate);
        }
        putIfSet(map, "rollback", s.rollback());
        if (s.onFailure() != OnFailure.RETRY) {
            map.put("on_failure", lower(s.onFailure()));
        }
        putIfSet(map, "when", s.when());
        if (!s.gates().isEmpty()) {
            List<Map<String, Object>> gates = new ArrayList<>();
            for (Gate gate : s.gates()) {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("metric", gate.metric());
                if (gate.min() != null) {
                    g.put("min", gate.min());
                }
                if (gate.max() != null) {
                    g.put("max", gate.max());
                }
                g.put("severity", lower(gate.severity()));
                gates.add(g);
            }
            map.put("gates", gates);
        }
        return map;
    }

    private static void putIfSet(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
