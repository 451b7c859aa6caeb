package dev.stagecoach.scheduler.engine;

import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.PipelineLoader;
import dev.stagecoach.pipeline.PipelineType;
import dev.stagecoach.pipeline.RetryPolicy;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A pipeline drawn at random for the property tests. A stage only needs stages declared before
 * it, so every graph is acyclic, also once a sequential pipeline adds its implicit order.
 * It is written as YAML and loaded like a user's file, so the engine sees what it sees in production.
 *
 * @param retry the pipeline's retry policy, or null for none
 */
record GeneratedPipeline(PipelineType type, int parallelWorkers, String runTimeout, Retry retry,
                         List<Stage> stages, Notifications notifications) {

    GeneratedPipeline {
        stages = List.copyOf(stages);
    }

    /** @param retry the stage's own policy, or null to use the pipeline's */
    record Stage(String name, List<String> needs, boolean critical, String timeout, Retry retry) {

        Stage {
            needs = List.copyOf(needs);
        }

        String yaml() {
            StringBuilder yaml = new StringBuilder("    - {name: " + name + ", run: \"echo " + name + "\", timeout: " + timeout);
            if (!needs.isEmpty()) {
                yaml.append(", needs: [").append(String.join(", ", needs)).append(']');
            }
            if (!critical) {
                yaml.append(", critical: false");
            }
            if (retry != null) {
                yaml.append(", retry: ").append(retry.yaml());
            }
            return yaml.append("}\n").toString();
        }

        @Override
        public String toString() {
            return name + (needs.isEmpty() ? "" : " needs " + needs) + (critical ? "" : " non-critical")
                    + " timeout " + timeout + (retry == null ? "" : " retry " + retry);
        }
    }

    record Retry(int maxAttempts, RetryPolicy.Backoff backoff, String initialDelay, String maxDelay) {

        String yaml() {
            return "{max_attempts: " + maxAttempts + ", backoff: " + backoff.name().toLowerCase(Locale.ROOT)
                    + ", initial_delay: " + initialDelay + ", max_delay: " + maxDelay + "}";
        }

        @Override
        public String toString() {
            return maxAttempts + "x " + backoff.name().toLowerCase(Locale.ROOT) + " " + initialDelay
                    + (maxDelay.equals(initialDelay) ? "" : " up to " + maxDelay);
        }
    }

    /** How many webhook targets each run-level notification event has. */
    record Notifications(int onStart, int onSuccess, int onFailure) {

        String yaml() {
            if (onStart + onSuccess + onFailure == 0) {
                return "";
            }
            return "  notifications:\n" + targets("on_start", onStart) + targets("on_success", onSuccess)
                    + targets("on_failure", onFailure);
        }

        private static String targets(String event, int count) {
            if (count == 0) {
                return "";
            }
            return "    " + event + ": [" + java.util.stream.IntStream.range(0, count)
                    .mapToObj(i -> "{webhook: \"http://hooks/" + event + "/" + i + "\"}")
                    .collect(Collectors.joining(", ")) + "]\n";
        }

        @Override
        public String toString() {
            return "notify start/success/failure " + onStart + "/" + onSuccess + "/" + onFailure;
        }
    }

    String yaml() {
        return "pipeline:\n"
                + "  name: generated\n"
                + "  type: " + type.name().toLowerCase(Locale.ROOT) + "\n"
                + "  options:\n"
                + "    parallel_workers: " + parallelWorkers + "\n"
                + "    timeout: " + runTimeout + "\n"
                + (retry == null ? "" : "    retry_policy: " + retry.yaml() + "\n")
                + "  stages:\n"
                + stages.stream().map(Stage::yaml).collect(Collectors.joining())
                + notifications.yaml();
    }

    PipelineDefinition load() {
        return PipelineLoader.load(yaml(), "generated.yaml").orThrow();
    }

    @Override
    public String toString() {
        return type.name().toLowerCase(Locale.ROOT) + ", parallel_workers " + parallelWorkers + ", run timeout " + runTimeout
                + (retry == null ? "" : ", retry " + retry) + ", " + notifications + " | "
                + stages.stream().map(Stage::toString).collect(Collectors.joining(" | "));
    }
}
