package dev.stagecoach.scheduler.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagecoach.pipeline.Trigger;
import dev.stagecoach.pipeline.expr.Expression;
import dev.stagecoach.pipeline.expr.ExpressionParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which pipelines a record on a topic starts, from the event triggers of the registered
 * pipelines: those with an event trigger on that topic whose filter the record's JSON value
 * passes. A pipeline starts one run per record, however many of its triggers match.
 */
public final class EventRoutes {

    private record Route(RegisteredPipelines.Registered pipeline, Expression filter) {
    }

    private final Map<String, List<Route>> byTopic;

    private EventRoutes(Map<String, List<Route>> byTopic) {
        this.byTopic = byTopic;
    }

    public static EventRoutes of(List<RegisteredPipelines.Registered> pipelines) {
        Map<String, List<Route>> byTopic = new LinkedHashMap<>();
        for (RegisteredPipelines.Registered pipeline : pipelines) {
            for (Trigger.Event event : pipeline.triggers(Trigger.Event.class)) {
                // The loader parsed every filter already; a null filter lets every record through.
                Expression filter = event.filter() == null ? null : ExpressionParser.parse(event.filter());
                byTopic.computeIfAbsent(event.topic(), t -> new ArrayList<>()).add(new Route(pipeline, filter));
            }
        }
        return new EventRoutes(byTopic);
    }

    public Set<String> topics() {
        return byTopic.keySet();
    }

    /** The earliest registration of a pipeline that reads {@code topic}: where reading a partition with no committed offset begins. */
    public Instant watchedSince(String topic) {
        return byTopic.getOrDefault(topic, List.of()).stream().map(r -> r.pipeline().registeredAt()).min(Instant::compareTo)
                .orElse(Instant.EPOCH);
    }

    /** The pipelines a record with this value starts, each once. */
    public List<RegisteredPipelines.Registered> matching(String topic, JsonNode value) {
        Expression.Context context = JsonDocuments.context("event", value);
        Map<String, RegisteredPipelines.Registered> matched = new LinkedHashMap<>();
        for (Route route : byTopic.getOrDefault(topic, List.of())) {
            if (!matched.containsKey(route.pipeline().name()) && (route.filter() == null || route.filter().test(context))) {
                matched.put(route.pipeline().name(), route.pipeline());
            }
        }
        return List.copyOf(matched.values());
    }

    public static String runId(String pipeline, String topic, int partition, long offset) {
        return RunIds.derive(pipeline, "event", topic, Integer.toString(partition), Long.toString(offset));
    }
}
