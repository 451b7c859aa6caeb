package dev.stagecoach.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a retry policy, the pipeline's default under {@code options.retry_policy} or a
 * stage's own under {@code retry}: how many attempts, how the wait between them grows, and
 * how much of each wait jitter may take away.
 */
final class RetryReading {

    private static final Set<String> RETRY_KEYS = LanguageSchema.RETRY.keys();
    private static final int MAX_ATTEMPTS = 20;

    private final YamlNodes nodes;

    RetryReading(YamlNodes nodes) {
        this.nodes = nodes;
    }

    /** The policy, or null when a key is unusable. */
    RetryPolicy retry(Node node, String path) {
        Map<String, Node> keys = nodes.mapping(node, path, RETRY_KEYS);
        Integer maxAttempts = keys.containsKey("max_attempts")
                ? nodes.integer(keys.get("max_attempts"), path + ".max_attempts", 1, MAX_ATTEMPTS) : Integer.valueOf(3);
        RetryPolicy.Backoff backoff = keys.containsKey("backoff")
                ? nodes.enumValue(keys.get("backoff"), path + ".backoff", RetryPolicy.Backoff.class) : RetryPolicy.Backoff.EXPONENTIAL;
        Duration initial = keys.containsKey("initial_delay")
                ? nodes.duration(keys.get("initial_delay"), path + ".initial_delay", Duration.ZERO, Duration.ofHours(1))
                : RetryPolicy.DEFAULT_INITIAL_DELAY;
        Duration max = keys.containsKey("max_delay")
                ? nodes.duration(keys.get("max_delay"), path + ".max_delay", Duration.ZERO, Duration.ofHours(24))
                : RetryPolicy.DEFAULT_MAX_DELAY;
        Double jitter = keys.containsKey("jitter") ? nodes.number(keys.get("jitter"), path + ".jitter") : Double.valueOf(0);
        if (jitter != null && !(jitter >= 0 && jitter <= 1)) {
            nodes.error(keys.get("jitter"), path + ".jitter", jitter + " is out of range; expected 0 to 1, the largest share of a wait that jitter may take away");
            jitter = null;
        }
        if (maxAttempts == null || backoff == null || initial == null || max == null || jitter == null) {
            return null;
        }
        if (max.compareTo(initial) < 0) {
            nodes.error(keys.get("max_delay"), path + ".max_delay", "max_delay " + Durations.format(max)
                    + " is shorter than initial_delay " + Durations.format(initial));
        }
        return new RetryPolicy(maxAttempts, backoff, initial, max, jitter);
    }
}
