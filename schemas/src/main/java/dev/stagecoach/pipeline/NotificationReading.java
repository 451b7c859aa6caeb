package dev.stagecoach.pipeline;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a pipeline's {@code notifications}: for each run event, the list of targets to tell,
 * one channel per item. An empty target is only a warning, since the pipeline still runs, and
 * the warning says when a YAML comment swallowed the value.
 */
final class NotificationReading {

    private static final Set<String> CHANNEL_KEYS = LanguageSchema.TARGET.keys();
    private static final Map<String, String> EXAMPLE_TARGETS = Map.of("webhook", "https://hooks.example.com/stagecoach",
            "email", "team@example.com", "slack", "\"#deployments\"", "pagerduty", "critical");

    private final YamlNodes nodes;

    NotificationReading(YamlNodes nodes) {
        this.nodes = nodes;
    }

    Map<NotificationEvent, List<NotificationTarget>> notifications(Node node, String path) {
        Set<String> events = new LinkedHashSet<>();
        for (NotificationEvent event : NotificationEvent.values()) {
            events.add(event.key());
        }
        Map<NotificationEvent, List<NotificationTarget>> notifications = new EnumMap<>(NotificationEvent.class);
        for (Map.Entry<String, Node> entry : nodes.mapping(node, path, events).entrySet()) {
            NotificationEvent event = NotificationEvent.valueOf(entry.getKey().toUpperCase(Locale.ROOT));
            notifications.put(event, targets(entry.getValue(), path + "." + entry.getKey()));
        }
        return notifications;
    }

    private List<NotificationTarget> targets(Node node, String eventPath) {
        List<NotificationTarget> targets = new ArrayList<>();
        List<Node> items = nodes.sequence(node, eventPath);
        for (int i = 0; i < items.size(); i++) {
            String targetPath = eventPath + "[" + i + "]";
            Map<String, Node> keys = nodes.mapping(items.get(i), targetPath, CHANNEL_KEYS);
            if (keys.size() != 1) {
                if (keys.isEmpty() && YamlNodes.valueOf(items.get(i), "").isEmpty() && items.get(i) instanceof MappingNode m
                        && m.getValue().isEmpty()) {
                    nodes.error(items.get(i), targetPath, "an empty target; name one channel: " + String.join(", ", CHANNEL_KEYS));
                }
                if (keys.size() > 1) {
                    nodes.error(items.get(i), targetPath, "one target per list item; found " + String.join(", ", keys.keySet()));
                }
                continue;
            }
            Map.Entry<String, Node> target = keys.entrySet().iterator().next();
            if (YamlNodes.isNull(target.getValue())) {
                String channel = target.getKey();
                boolean commentAte = nodes.sourceLine(target.getValue()).contains("#");
                nodes.warning(target.getValue(), targetPath + "." + channel, "the " + channel + " target is empty"
                        + (commentAte ? "; YAML reads an unquoted '#' as the start of a comment: quote the value, e.g. "
                                + channel + ": \"#deployments\""
                                : "; give it a value, e.g. " + channel + ": " + EXAMPLE_TARGETS.get(channel)));
                continue;
            }
            String valuePath = targetPath + "." + target.getKey();
            String value = nodes.string(target.getValue(), valuePath);
            if (value != null) {
                NotificationTarget.Channel channel = NotificationTarget.Channel.valueOf(target.getKey().toUpperCase(Locale.ROOT));
                Optional<String> problem = NotificationTargets.problem(channel, value);
                if (problem.isPresent()) {
                    nodes.error(target.getValue(), valuePath, problem.get());
                } else {
                    targets.add(new NotificationTarget(channel, value));
                }
            }
        }
        return targets;
    }
}
