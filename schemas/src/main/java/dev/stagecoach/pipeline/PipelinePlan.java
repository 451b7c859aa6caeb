package dev.stagecoach.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run of a pipeline will do, before it runs: the waves of stages that can run together
 * (each wave waits for the ones before it), and for every stage its timeout, retry schedule and
 * approval. Printed by {@code stagecoach plan}.
 */
public final class PipelinePlan {

    /**
     * @param retryDelays the waits before the second, third, ... attempt; with jitter, the longest ones
     * @param shortestRetryDelays the shortest waits jitter can give; the same as retryDelays without jitter
     */
    public record StagePlan(String name, String kind, String pool, Duration timeout, boolean critical,
                            int maxAttempts, List<Duration> retryDelays, ManualApproval approval, List<String> needs,
                            int shards, String when, List<Gate> gates, OnFailure onFailure, List<Duration> shortestRetryDelays) {
    }

    private final PipelineDefinition definition;
    private final Map<String, String> parameters;
    private final Options options;
    private final List<List<StagePlan>> waves;
    private final List<StagePlan> finallyStages;

    private PipelinePlan(PipelineDefinition definition, Map<String, String> values) {
        this.definition = definition;
        this.options = definition.optionsFor(values);
        this.parameters = ParameterBinder.masked(definition, values);
        Map<String, List<String>> needs = definition.effectiveNeeds();
        List<List<StagePlan>> levels = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        while (placed.size() < definition.stages().size()) {
            List<StagePlan> wave = new ArrayList<>();
            for (StageSpec stage : definition.stages()) {
                if (!placed.contains(stage.name()) && placed.containsAll(needs.get(stage.name()))) {
                    wave.add(plan(stage, needs.get(stage.name())));
                }
            }
            if (wave.isEmpty()) {
                throw new IllegalStateException("the stages of " + definition.name() + " form a cycle; the loader should have refused it");
            }
            wave.forEach(s -> placed.add(s.name()));
            levels.add(List.copyOf(wave));
        }
        this.waves = List.copyOf(levels);
        this.finallyStages = definition.finallyStages().stream().map(s -> plan(s, List.of())).toList();
    }

    /** @throws InvalidParametersException when the parameters do not fit, listing every problem */
    public static PipelinePlan of(PipelineDefinition definition, Map<String, String> given) {
        return new PipelinePlan(definition, ParameterBinder.bind(definition, given));
    }

    public List<List<StagePlan>> waves() {
        return waves;
    }

    public List<StagePlan> finallyStages() {
        return finallyStages;
    }

    private StagePlan plan(StageSpec stage, List<String> needs) {
        RetryPolicy policy = definition.retryPolicyOf(stage);
        List<Duration> delays = new ArrayList<>();
        List<Duration> shortest = new ArrayList<>();
        for (int failed = 1; failed < policy.maxAttempts(); failed++) {
            delays.add(policy.delayAfter(failed));
            shortest.add(policy.shortestDelayAfter(failed));
        }
        return new StagePlan(stage.name(), stage.kind(), stage.pool(), stage.timeout(), stage.critical(),
                policy.maxAttempts(), delays, stage.manualApproval(), needs, stage.fanout() == null ? 1 : stage.fanout().count(),
                stage.when(), stage.gates(), stage.onFailure(), shortest);
    }

    /** The plan as text for a terminal. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("pipeline ").append(definition.name()).append(' ').append(definition.version())
                .append(" (").append(definition.type().name().toLowerCase(java.util.Locale.ROOT)).append(")\n");
        out.append("run timeout ").append(Durations.format(options.timeout()))
                .append(", at most ").append(options.parallelWorkers()).append(" stages in flight\n");
        if (!definition.triggers().equals(List.of(Trigger.MANUAL))) {
            out.append("triggers: ").append(String.join("; ", definition.triggers().stream().map(PipelinePlan::describe).toList())).append('\n');
        }
        if (!parameters.isEmpty()) {
            out.append("parameters:");
            parameters.forEach((k, v) -> out.append(' ').append(k).append('=').append(v));
            out.append('\n');
        }
        for (int i = 0; i < waves.size(); i++) {
            List<StagePlan> wave = waves.get(i);
            int units = wave.stream().mapToInt(StagePlan::shards).sum();
            int together = Math.min(units, options.parallelWorkers());
            out.append("\nwave ").append(i + 1).append(units > 1 ? " (" + units + (wave.size() > 1 ? " stages and shards" : " shards")
                    + ", up to " + together + " at once)" : "").append('\n');
            wave.forEach(stage -> line(out, stage));
        }
        if (!finallyStages.isEmpty()) {
            out.append("\nfinally, whatever the outcome, one after another\n");
            finallyStages.forEach(stage -> line(out, stage));
        }
        return out.toString();
    }

    private static String describe(Trigger trigger) {
        if (trigger instanceof Trigger.Cron cron) {
            return "cron " + cron.schedule().expression() + " (" + cron.zone().getId() + ")";
        } else if (trigger instanceof Trigger.Webhook webhook) {
            return "webhook" + (webhook.params().isEmpty() ? "" : " setting " + String.join(", ", webhook.params().keySet()));
        } else if (trigger instanceof Trigger.Event event) {
            return "event on " + event.topic() + (event.filter() == null ? "" : " when " + event.filter());
        } else if (trigger instanceof Trigger.Conditional conditional) {
            return "when " + conditional.metric() + " " + conditional.comparison() + " " + conditional.threshold()
                    + (conditional.holdFor().isZero() ? "" : " for " + Durations.format(conditional.holdFor()));
        }
        return trigger.kind();
    }

    private static void line(StringBuilder out, StagePlan stage) {
        out.append("  ").append(stage.name()).append(" [").append(stage.kind()).append(" on ").append(stage.pool()).append(']')
                .append(" timeout ").append(Durations.format(stage.timeout()))
                .append(stage.critical() ? "" : ", non-critical")
                .append(stage.shards() > 1 ? ", " + stage.shards() + " shards" : "");
        if (stage.maxAttempts() > 1) {
            List<String> waits = new ArrayList<>();
            for (int i = 0; i < stage.retryDelays().size(); i++) {
                Duration longest = stage.retryDelays().get(i);
                Duration shortest = stage.shortestRetryDelays().get(i);
                waits.add(shortest.equals(longest) ? Durations.format(longest) : Durations.format(shortest) + ".." + Durations.format(longest));
            }
            out.append(", ").append(stage.maxAttempts()).append(" attempts, waits ").append(String.join(", ", waits));
        }
        if (stage.approval() != null) {
            out.append(", waits for approval").append(stage.approval().approvers().isEmpty() ? ""
                    : " by " + String.join(" or ", stage.approval().approvers()));
            if (stage.approval().timeout() != null) {
                out.append(" within ").append(Durations.format(stage.approval().timeout()));
            }
        }
        if (!stage.needs().isEmpty()) {
            out.append(", after ").append(String.join(", ", stage.needs()));
        }
        if (stage.onFailure() != OnFailure.RETRY) {
            out.append(", on failure ").append(stage.onFailure().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (stage.when() != null) {
            out.append("\n      only when ").append(stage.when());
        }
        for (Gate gate : stage.gates()) {
            out.append("\n      gate ").append(gate.metric()).append(gate.min() == null ? "" : " >= " + gate.min())
                    .append(gate.max() == null ? "" : " <= " + gate.max()).append(" (").append(gate.severity().name().toLowerCase(java.util.Locale.ROOT)).append(')');
        }
        out.append('\n');
    }
}
