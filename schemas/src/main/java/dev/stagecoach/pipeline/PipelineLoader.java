package dev.stagecoach.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a pipeline from YAML and validates it, reporting every problem at once with its
 * file, line, column and key path. Shared by the CLI and the scheduler so both judge a file alike.
 * Each part of the file has its reader ({@link ParameterReading}, {@link OptionReading},
 * {@link TriggerReading}, {@link StageReading}, {@link NotificationReading}); this class reads
 * them in the order that the later ones depend on.
 */
public final class PipelineLoader {

    // Allowed keys come from the one description of the language, which the JSON Schema comes from too.
    private static final Set<String> ROOT_KEYS = LanguageSchema.ROOT.keys();
    private static final Set<String> PIPELINE_KEYS = LanguageSchema.PIPELINE.keys();
    /** Pipeline and stage names alike. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?");

    private PipelineLoader() {
    }

    /** Reads a pipeline within the limits this process uses ({@link PipelineLimits#current()}). */
    public static LoadResult load(String yaml, String file) {
        return load(yaml, file, PipelineLimits.current());
    }

    public static LoadResult load(String yaml, String file, PipelineLimits limits) {
        YamlNodes sizeNodes = new YamlNodes(file, "");
        if (!SizeCheck.fileFits(sizeNodes, yaml, limits)) {
            return new LoadResult(Optional.empty(), sizeNodes.diagnostics());
        }
        YamlSyntax.Composed composed = YamlSyntax.compose(yaml, file);
        if (composed.problem() != null) {
            return new LoadResult(Optional.empty(), List.of(composed.problem()));
        }
        YamlNodes nodes = new YamlNodes(file, yaml);
        Node root = composed.root();
        if (root == null) {
            nodes.error("", "the file is empty; a pipeline starts with a \"pipeline:\" key");
            return new LoadResult(Optional.empty(), nodes.diagnostics());
        }
        Node pipelineNode = nodes.mapping(root, "", ROOT_KEYS).get("pipeline");
        PipelineDefinition definition = null;
        if (pipelineNode == null) {
            if (nodes.diagnostics().isEmpty()) {
                nodes.error(root, "", "missing required key \"pipeline\"");
            }
        } else {
            definition = pipeline(nodes, pipelineNode, limits);
        }
        boolean failed = nodes.diagnostics().stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
        List<Diagnostic> inFileOrder = nodes.diagnostics().stream()
                .sorted(Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column)).toList();
        return new LoadResult(failed ? Optional.empty() : Optional.ofNullable(definition), inFileOrder);
    }

    /** The definition, or null when a part it cannot do without is unusable; the problems are in {@code nodes}. */
    private static PipelineDefinition pipeline(YamlNodes nodes, Node node, PipelineLimits limits) {
        String path = "pipeline";
        Map<String, Node> keys = nodes.mapping(node, path, PIPELINE_KEYS);
        String name = required(nodes, keys, node, path, "name");
        if (name != null && !NAME.matcher(name).matches()) {
            nodes.error(keys.get("name"), path + ".name", "\"" + name
                    + "\" is not a valid name; use letters, digits, '-', '_' and '.', starting with a letter or digit");
        }
        String version = keys.containsKey("version") ? nodes.string(keys.get("version"), path + ".version") : "0.0.0";
        if (version != null && !SEMVER.matcher(version).matches()) {
            nodes.error(keys.get("version"), path + ".version",
                    "\"" + version + "\" is not a semantic version; write MAJOR.MINOR.PATCH, e.g. 1.0.0");
        }
        String description = keys.containsKey("description")
                ? nodes.string(keys.get("description"), path + ".description") : "";
        PipelineType type = keys.containsKey("type")
                ? nodes.enumValue(keys.get("type"), path + ".type", PipelineType.class) : PipelineType.SEQUENTIAL;
        ParameterReading parameterReading = new ParameterReading(nodes);
        RetryReading retries = new RetryReading(nodes);
        OptionReading optionReading = new OptionReading(nodes, parameterReading, retries);
        List<ParameterSpec> parameters = keys.containsKey("parameters")
                ? parameterReading.parameters(keys.get("parameters"), path + ".parameters") : List.of();
        Node optionsAmongParameters = parameterReading.optionsAmongParameters();
        if (keys.containsKey("options") && optionsAmongParameters != null) {
            nodes.error(keys.get("options"), path + ".options", "options are declared twice: here and under parameters.options; keep one");
        }
        Options options = keys.containsKey("options") ? optionReading.options(keys.get("options"), path + ".options")
                : optionsAmongParameters != null ? optionReading.options(optionsAmongParameters, path + ".parameters.options")
                : Options.defaults();
        parameters = new ArrayList<>(parameters);
        parameters.addAll(optionReading.optionParameters());
        List<Trigger> triggers = keys.containsKey("triggers")
                ? new TriggerReading(nodes, parameters).triggers(keys.get("triggers"), path + ".triggers") : List.of(Trigger.MANUAL);
        // Conditions and interpolations are checked once every parameter and stage is known.
        List<ReferenceCheck.Use> expressions = new ArrayList<>();
        StageReading stageReading = new StageReading(nodes, expressions, retries);
        List<StageSpec> stages = keys.containsKey("stages") ? stageReading.stages(keys.get("stages"), path + ".stages", type) : List.of();
        List<StageSpec> finallyStages = keys.containsKey("finally") ? stageReading.finallyStages(keys.get("finally"), path + ".finally",
                stages.stream().map(StageSpec::name).collect(Collectors.toSet())) : List.of();
        if (!keys.containsKey("stages")) {
            nodes.error(node, path, "missing required key \"stages\": a pipeline needs at least one stage");
        } else {
            SizeCheck.stages(nodes, keys.get("stages"), path + ".stages", stages.size() + finallyStages.size(), limits);
            SizeCheck.shards(nodes, stageReading.fannedOut(), options == null ? 1 : options.parallelWorkers(), limits);
        }
        new ReferenceCheck(nodes, parameters, type == null ? PipelineType.SEQUENTIAL : type, stages, finallyStages).check(expressions);
        Map<NotificationEvent, List<NotificationTarget>> notifications = keys.containsKey("notifications")
                ? new NotificationReading(nodes).notifications(keys.get("notifications"), path + ".notifications") : Map.of();
        if (name == null || type == null || options == null) {
            return null;
        }
        return new PipelineDefinition(name, version, description, type, parameters, options,
                FanoutReading.resolved(stages, options), finallyStages, notifications, triggers);
    }

    private static String required(YamlNodes nodes, Map<String, Node> keys, Node parent, String path, String key) {
        if (!keys.containsKey(key)) {
            nodes.error(parent, path, "missing required key \"" + key + "\"");
            return null;
        }
        return nodes.string(keys.get(key), path + "." + key);
    }
}
