package dev.stagecoach.scheduler.report;

import dev.stagecoach.pipeline.Aggregation;
import dev.stagecoach.pipeline.Gate;
import dev.stagecoach.pipeline.ParameterBinder;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.ShardExpansion;
import dev.stagecoach.pipeline.StageSpec;
import dev.stagecoach.scheduler.engine.Artifact;
import dev.stagecoach.scheduler.engine.RunState;
import dev.stagecoach.scheduler.engine.StageResults;
import dev.stagecoach.scheduler.engine.StageState;
import dev.stagecoach.scheduler.engine.StageStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Markdown execution report of a run: summary, stage table, failures, metrics, outputs,
 * artifacts and recommendations. Sections without data are left out rather than shown empty.
 */
public final class RunReport {

    private RunReport() {
    }

    public static String render(RunState run, PipelineDefinition definition) {
        StringBuilder md = new StringBuilder();
        md.append("# Pipeline execution report: ").append(run.pipeline()).append("\n\n");
        summary(md, run, definition);
        stages(md, run, definition);
        failures(md, run);
        approvals(md, run);
        fanout(md, run, definition);
        metrics(md, run);
        outputs(md, run);
        artifacts(md, run);
        gates(md, run, definition);
        recommendations(md, run, definition);
        return md.toString();
    }

    private static void summary(StringBuilder md, RunState run, PipelineDefinition definition) {
        md.append("## Summary\n\n");
        row(md, "Run", "`" + run.runId() + "`");
        row(md, "Pipeline", run.pipeline() + (definition == null ? "" : " " + definition.version())
                + " (revision " + run.pipelineRevision() + ")");
        row(md, "Status", "**" + run.status() + "**");
        if (run.reason() != null) {
            row(md, "Outcome", run.reason());
        }
        row(md, "Started by", run.requestedBy());
        row(md, "Started", String.valueOf(run.createdAt()));
        if (run.finishedAt() != null) {
            row(md, "Finished", run.finishedAt().toString());
            row(md, "Duration", human(Duration.between(run.createdAt(), run.finishedAt())));
        }
        long succeeded = count(run, StageStatus.SUCCEEDED);
        row(md, "Stages", succeeded + " of " + run.stages().size() + " succeeded");
        Map<String, String> parameters = definition == null ? run.parameters() : ParameterBinder.masked(definition, run.parameters());
        if (!parameters.isEmpty()) {
            List<String> shown = new ArrayList<>();
            new TreeMap<>(parameters).forEach((k, v) -> shown.add(k + "=`" + v + "`"));
            row(md, "Parameters", String.join(", ", shown));
        }
        md.append('\n');
    }

    private static void stages(StringBuilder md, RunState run, PipelineDefinition definition) {
        if (run.stages().isEmpty()) {
            return;
        }
        md.append("## Stages\n\n");
        md.append("| # | Stage | Status | Attempts | Duration | Exit code | Critical | Notes |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        int index = 1;
        for (StageState stage : run.stageList()) {
            boolean critical = definition == null || definition.stage(stage.name()).map(s -> s.critical()).orElse(true);
            md.append("| ").append(index++)
                    .append(" | ").append(stage.name())
                    .append(" | ").append(icon(stage.status())).append(' ').append(stage.status())
                    .append(" | ").append(stage.attempts())
                    .append(" | ").append(stage.durationMillis() == null ? "-" : human(Duration.ofMillis(stage.durationMillis())))
                    .append(" | ").append(stage.exitCode() == null ? "-" : stage.exitCode())
                    .append(" | ").append(critical ? "yes" : "no")
                    .append(" | ").append(stage.error() == null ? "" : cell(stage.error()))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static void failures(StringBuilder md, RunState run) {
        List<StageState> failed = run.stageList().stream().filter(s -> s.status() == StageStatus.FAILED).toList();
        if (failed.isEmpty()) {
            return;
        }
        md.append("## Failures\n\n");
        for (StageState stage : failed) {
            md.append("### ").append(stage.name()).append("\n\n");
            md.append(stage.error() == null ? "Failed." : stage.error()).append(stage.exitCode() == null ? "" : " (exit code " + stage.exitCode() + ")")
                    .append("\n\n");
            if (!stage.outputTail().isEmpty()) {
                md.append("Last output lines:\n\n```\n");
                stage.outputTail().forEach(line -> md.append(line).append('\n'));
                md.append("```\n\n");
            }
        }
    }

    private static void approvals(StringBuilder md, RunState run) {
        List<StageState> gated = run.stageList().stream()
                .filter(s -> s.approval() != null || s.status() == StageStatus.AWAITING_APPROVAL).toList();
        if (gated.isEmpty()) {
            return;
        }
        md.append("## Approvals\n\n| Stage | Decision | By | At | Comment |\n|---|---|---|---|---|\n");
        for (StageState stage : gated) {
            var approval = stage.approval();
            if (approval == null) {
                md.append("| ").append(stage.name()).append(" | waiting since ").append(stage.awaitingSince()).append(" | | | |\n");
            } else {
                md.append("| ").append(stage.name()).append(" | ").append(approval.approved() ? "approved" : "rejected")
                        .append(" | ").append(approval.by()).append(" | ").append(approval.at())
                        .append(" | ").append(approval.comment() == null ? "" : cell(approval.comment())).append(" |\n");
            }
        }
        md.append('\n');
    }

    private static void gates(StringBuilder md, RunState run, PipelineDefinition definition) {
        if (definition == null) {
            return;
        }
        StringBuilder rows = new StringBuilder();
        for (StageState stage : run.stageList()) {
            var spec = definition.stage(stage.name());
            if (spec.isEmpty() || spec.get().gates().isEmpty() || stage.attempts() == 0) {
                continue;
            }
            for (Gate.Result result : Gate.checkAll(spec.get().gates(), stage.metrics())) {
                rows.append("| ").append(stage.name()).append(" | ").append(result.passed() ? "✅ passed" : result.gate().severity() == Gate.Severity.FAIL ? "❌ failed" : "⚠️ warning")
                        .append(" | ").append(result.gate().severity().name().toLowerCase(java.util.Locale.ROOT))
                        .append(" | ").append(cell(result.message())).append(" |\n");
            }
        }
        if (rows.length() > 0) {
            md.append("## Quality gates\n\n| Stage | Result | Severity | Check |\n|---|---|---|---|\n").append(rows).append('\n');
        }
    }

    private static void metrics(StringBuilder md, RunState run) {
        namedValues(md, "Metrics", "Metric", run.stageList(), StageState::metrics, String::valueOf);
    }

    /** One row per fanned-out stage: its shards folded into one result, as later stages read it. */
    private static void fanout(StringBuilder md, RunState run, PipelineDefinition definition) {
        Set<String> fanned = new LinkedHashSet<>();
        run.stageList().stream().map(StageState::name).filter(ShardExpansion::isShard).map(ShardExpansion::stageOf).forEach(fanned::add);
        if (fanned.isEmpty()) {
            return;
        }
        md.append("## Fan-out\n\n| Stage | Shards | Status | Metrics (combined) | Outputs by shard |\n|---|---|---|---|---|\n");
        for (String stage : fanned) {
            StageResults.Result result = StageResults.of(stage, run, definition).orElseThrow();
            Optional<StageSpec> spec = definition == null ? Optional.empty() : definition.stage(stage);
            List<String> metrics = new ArrayList<>();
            result.metrics().forEach((name, value) -> metrics.add(name + " = " + value + " ("
                    + spec.map(st -> st.aggregationOf(name)).orElse(Aggregation.DEFAULT).name().toLowerCase(Locale.ROOT) + ")"));
            List<String> outputs = new ArrayList<>();
            result.outputsByShard().forEach((shard, values) -> outputs.add("#" + shard + ": " + new TreeMap<>(values).entrySet().stream()
                    .map(e -> e.getKey() + "=`" + e.getValue() + "`").collect(Collectors.joining(", "))));
            md.append("| ").append(stage).append(" | ").append(result.shards()).append(" | ").append(result.status())
                    .append(" | ").append(metrics.isEmpty() ? "–" : String.join("; ", metrics))
                    .append(" | ").append(outputs.isEmpty() ? "–" : String.join("; ", outputs)).append(" |\n");
        }
        md.append('\n');
    }

    private static void outputs(StringBuilder md, RunState run) {
        List<StageState> stages = run.stageList().stream().filter(s -> !ShardExpansion.isShard(s.name())).toList();
        namedValues(md, "Outputs", "Output", stages, StageState::outputs, value -> "`" + value + "`");
    }

    /** The files the workers kept from each stage's last attempt, with what a reader needs to find and check them. */
    private static void artifacts(StringBuilder md, RunState run) {
        List<StageState> having = run.stageList().stream().filter(s -> !s.artifacts().isEmpty()).toList();
        if (having.isEmpty()) {
            return;
        }
        md.append("## Artifacts\n\n| Stage | Path | Size | SHA-256 | Location |\n|---|---|---|---|---|\n");
        for (StageState stage : having) {
            for (Artifact artifact : stage.artifacts()) {
                md.append("| ").append(stage.name()).append(" | ").append(cell(artifact.path()))
                        .append(" | ").append(bytes(artifact.sizeBytes()))
                        .append(" | `").append(artifact.sha256()).append("`")
                        .append(" | ").append(cell(artifact.location())).append(" |\n");
            }
        }
        md.append('\n');
    }

    /** A section of stage | name | value rows, for the stages that have any values. */
    private static <V> void namedValues(StringBuilder md, String title, String column, List<StageState> stages,
                                        Function<StageState, Map<String, V>> values, Function<V, String> shown) {
        List<StageState> having = stages.stream().filter(s -> !values.apply(s).isEmpty()).toList();
        if (having.isEmpty()) {
            return;
        }
        md.append("## ").append(title).append("\n\n| Stage | ").append(column).append(" | Value |\n|---|---|---|\n");
        for (StageState stage : having) {
            new TreeMap<>(values.apply(stage)).forEach((name, value) -> md.append("| ").append(stage.name()).append(" | ")
                    .append(name).append(" | ").append(shown.apply(value)).append(" |\n"));
        }
        md.append('\n');
    }

    private static void recommendations(StringBuilder md, RunState run, PipelineDefinition definition) {
        List<String> advice = new ArrayList<>();
        for (StageState stage : run.stageList()) {
            if (stage.status() == StageStatus.FAILED) {
                advice.add("Stage `" + stage.name() + "` failed: read its output above, fix the cause and start the run again.");
            } else if (stage.status() == StageStatus.SUCCEEDED && stage.attempts() > 1) {
                advice.add("Stage `" + stage.name() + "` needed " + stage.attempts() + " attempts: it may be flaky.");
            }
            if (definition != null && stage.durationMillis() != null) {
                definition.stage(stage.name()).ifPresent(spec -> {
                    if (stage.durationMillis() > spec.timeout().toMillis() * 0.8) {
                        advice.add("Stage `" + stage.name() + "` used over 80% of its timeout of " + human(spec.timeout()) + ".");
                    }
                });
            }
        }
        if (advice.isEmpty()) {
            return;
        }
        md.append("## Recommendations\n\n");
        advice.forEach(a -> md.append("- ").append(a).append('\n'));
        md.append('\n');
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("- **").append(key).append(":** ").append(value).append('\n');
    }

    private static long count(RunState run, StageStatus status) {
        return run.stageList().stream().filter(s -> s.status() == status).count();
    }

    private static String icon(StageStatus status) {
        return switch (status) {
            case SUCCEEDED -> "✅";
            case FAILED -> "❌";
            case CANCELLED -> "🚫";
            case SKIPPED -> "⏭️";
            default -> "⏳";
        };
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String bytes(long size) {
        if (size < 1024) {
            return size + " B";
        }
        if (size < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", size / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", size / (1024.0 * 1024));
    }

    static String human(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
    }

}
