package dev.stagecoach.pipeline;

import dev.stagecoach.pipeline.expr.Interpolation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads a pipeline from YAML and validates it, reporting every problem at once with its
 * file, line, column and key path. Shared by the CLI and the scheduler so both judge a file alike.
 */
public final class PipelineLoader {

    // Allowed keys come from the one description of the language, which the JSON Schema comes from too.
    private static final Set<String> ROOT_KEYS = LanguageSchema.ROOT.keys();
    private static final Set<String> PIPELINE_KEYS = LanguageSchema.PIPELINE.keys();
    private static final Set<String> PARAMETER_KEYS = LanguageSchema.PARAMETER.keys();
    private static final Set<String> OPTION_KEYS = LanguageSchema.OPTIONS.keys();
    private static final Set<String> RETRY_KEYS = LanguageSchema.RETRY.keys();
    private static final Set<String> STAGE_KEYS = LanguageSchema.STAGE.keys();
    private static final Set<String> GATE_KEYS = LanguageSchema.GATE.keys();
    private static final Set<String> APPROVAL_KEYS = LanguageSchema.APPROVAL.keys();
    private static final Set<String> CHANNEL_KEYS = LanguageSchema.TARGET.keys();
    private static final Map<String, String> EXAMPLE_TARGETS = Map.of("webhook", "https://hooks.example.com/stagecoach",
            "email", "team@example.com", "slack", "\"#deployments\"", "pagerduty", "critical");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern POOL = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?");
    private static final Duration MAX_STAGE_TIMEOUT = Duration.ofHours(24);
    private static final int MAX_ATTEMPTS = 20;

    private PipelineLoader() {
    }

    public static LoadResult load(String yaml, String file) {
        YamlNodes nodes = new YamlNodes(file, yaml);
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new java.io.StringReader(yaml));
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            var context = e.getContextMark();
            // SnakeYAML's context ("while scanning a quoted scalar" at 5:12) points at the cause;
            // its problem mark is often just where the parser gave up, e.g. the end of the file.
            String where = e.getContext() == null || context == null ? ""
                    : " (" + e.getContext() + " that starts at line " + (context.getLine() + 1) + ", column " + (context.getColumn() + 1) + ")";
            String hint = e.getProblem() != null && e.getProblem().contains("mapping values are not allowed")
                    ? "; a value that contains \": \" must be quoted" : "";
            return new LoadResult(Optional.empty(), List.of(new Diagnostic(Diagnostic.Severity.ERROR, file,
                    mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1,
                    "", "not valid YAML: " + e.getProblem() + where + hint)));
        } catch (ReaderException e) {
            // Thrown before parsing, for characters YAML forbids; it carries an offset, not a line.
            String before = yaml.substring(0, Math.min(e.getPosition(), yaml.length()));
            int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
            int column = before.length() - before.lastIndexOf('\n');
            return new LoadResult(Optional.empty(), List.of(new Diagnostic(Diagnostic.Severity.ERROR, file, line, column,
                    "", String.format("not valid YAML: the character U+%04X is not allowed in a YAML file", e.getCodePoint()))));
        } catch (YAMLException e) {
            return new LoadResult(Optional.empty(), List.of(new Diagnostic(Diagnostic.Severity.ERROR, file, 0, 0,
                    "", "not valid YAML: " + e.getMessage())));
        }
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
            definition = new Reading(nodes).pipeline(pipelineNode);
        }
        boolean failed = nodes.diagnostics().stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
        List<Diagnostic> inFileOrder = nodes.diagnostics().stream()
                .sorted(java.util.Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column)).toList();
        return new LoadResult(failed ? Optional.empty() : Optional.ofNullable(definition), inFileOrder);
    }

    /** One pass over one file. */
    private static final class Reading {

        private final YamlNodes nodes;
        private Node optionsAmongParameters;
        /** Conditions and interpolations are checked once every parameter and stage is known. */
        private final List<ReferenceCheck.Use> expressions = new ArrayList<>();
        private final StageInputs inputs;
        private final StageResultReading results;
        /** Options a run may set, declared like parameters (type, default, min, max). */
        private final List<ParameterSpec> optionParameters = new ArrayList<>();

        Reading(YamlNodes nodes) {
            this.nodes = nodes;
            this.inputs = new StageInputs(nodes, expressions);
            this.results = new StageResultReading(nodes);
        }

        PipelineDefinition pipeline(Node node) {
            String path = "pipeline";
            Map<String, Node> keys = nodes.mapping(node, path, PIPELINE_KEYS);
            String name = required(keys, node, path, "name");
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
            List<ParameterSpec> parameters = keys.containsKey("parameters")
                    ? parameters(keys.get("parameters"), path + ".parameters") : List.of();
            if (keys.containsKey("options") && optionsAmongParameters != null) {
                nodes.error(keys.get("options"), path + ".options", "options are declared twice: here and under parameters.options; keep one");
            }
            Options options = keys.containsKey("options") ? options(keys.get("options"), path + ".options")
                    : optionsAmongParameters != null ? options(optionsAmongParameters, path + ".parameters.options") : Options.defaults();
            parameters = new ArrayList<>(parameters);
            parameters.addAll(optionParameters);
            List<Trigger> triggers = keys.containsKey("triggers")
                    ? new TriggerReading(nodes, parameters).triggers(keys.get("triggers"), path + ".triggers") : List.of(Trigger.MANUAL);
            List<StageSpec> stages = keys.containsKey("stages") ? stages(keys.get("stages"), path + ".stages", type, Set.of()) : List.of();
            List<StageSpec> finallyStages = keys.containsKey("finally") ? finallyStages(keys.get("finally"), path + ".finally",
                    stages.stream().map(StageSpec::name).collect(java.util.stream.Collectors.toSet())) : List.of();
            if (!keys.containsKey("stages")) {
                nodes.error(node, path, "missing required key \"stages\": a pipeline needs at least one stage");
            }
            new ReferenceCheck(nodes, parameters, type == null ? PipelineType.SEQUENTIAL : type, stages, finallyStages).check(expressions);
            Map<NotificationEvent, List<NotificationTarget>> notifications = keys.containsKey("notifications")
                    ? notifications(keys.get("notifications"), path + ".notifications") : Map.of();
            if (name == null || type == null || options == null) {
                return null;
            }
            // "parallel: true" means as many shards as stages may run at once.
            List<StageSpec> resolved = stages.stream().map(st -> st.fanout() == null || st.fanout().count() > 0 ? st
                    : new StageSpec(st.name(), st.needs(), st.run(), st.uses(), st.env(), st.pool(), st.timeout(), st.critical(),
                            st.retry(), st.manualApproval(), new Fanout(options.parallelWorkers(), Map.of()), st.rollback(),
                            st.onFailure(), st.when(), st.gates(), st.with(), st.outputs(), st.artifacts(), st.aggregate(),
                            st.startTimeout())).toList();
            return new PipelineDefinition(name, version, description, type, parameters, options, resolved, finallyStages, notifications,
                    triggers);
        }

        private String required(Map<String, Node> keys, Node parent, String path, String key) {
            if (!keys.containsKey(key)) {
                nodes.error(parent, path, "missing required key \"" + key + "\"");
                return null;
            }
            return nodes.string(keys.get(key), path + "." + key);
        }

        private List<ParameterSpec> parameters(Node node, String path) {
            List<ParameterSpec> parameters = new ArrayList<>();
            for (Map.Entry<String, Node> entry : nodes.openMapping(node, path).entrySet()) {
                if (entry.getKey().equals("options") && isOptionsBlock(entry.getValue())) {
                    // The layout of the seed document: run options declared among the parameters.
                    optionsAmongParameters = entry.getValue();
                    continue;
                }
                ParameterSpec spec = parameter(entry.getKey(), entry.getValue(), path + "." + entry.getKey());
                if (spec != null) {
                    parameters.add(spec);
                }
            }
            return parameters;
        }

        private static boolean isOptionsBlock(Node node) {
            return node instanceof org.yaml.snakeyaml.nodes.MappingNode mapping && !mapping.getValue().isEmpty()
                    && mapping.getValue().stream().allMatch(t -> t.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode k
                            && OPTION_KEYS.contains(k.getValue()));
        }

        private ParameterSpec parameter(String name, Node node, String paramPath) {
            Map<String, Node> keys = nodes.mapping(node, paramPath, PARAMETER_KEYS);
            ParameterType type = keys.containsKey("type")
                    ? nodes.enumValue(keys.get("type"), paramPath + ".type", ParameterType.class) : ParameterType.STRING;
            boolean required = keys.containsKey("required") && Boolean.TRUE.equals(nodes.bool(keys.get("required"), paramPath + ".required"));
            String defaultValue = keys.containsKey("default") ? scalarOrList(keys.get("default"), paramPath + ".default") : null;
            List<String> enumValues = keys.containsKey("enum") ? nodes.strings(keys.get("enum"), paramPath + ".enum") : List.of();
            String min = keys.containsKey("min") ? nodes.string(keys.get("min"), paramPath + ".min") : null;
            String max = keys.containsKey("max") ? nodes.string(keys.get("max"), paramPath + ".max") : null;
            String pattern = keys.containsKey("pattern") ? nodes.string(keys.get("pattern"), paramPath + ".pattern") : null;
            String description = keys.containsKey("description") ? nodes.string(keys.get("description"), paramPath + ".description") : "";
            boolean secret = keys.containsKey("secret") && Boolean.TRUE.equals(nodes.bool(keys.get("secret"), paramPath + ".secret"));
            if (type == null) {
                return null;
            }
            if (type == ParameterType.ENUM && enumValues.isEmpty()) {
                nodes.error(node, paramPath, "an enum parameter needs \"enum\": the list of allowed values");
            }
            if (!enumValues.isEmpty() && type != ParameterType.ENUM && type != ParameterType.STRING) {
                nodes.error(keys.get("enum"), paramPath + ".enum", "allowed values apply to string and enum parameters, not " + type.name().toLowerCase());
            }
            if (pattern != null) {
                try {
                    Pattern.compile(pattern);
                } catch (PatternSyntaxException e) {
                    nodes.error(keys.get("pattern"), paramPath + ".pattern", "not a valid regular expression: " + e.getDescription());
                }
            }
            ParameterSpec spec = new ParameterSpec(name, type, required, defaultValue, enumValues, min, max, pattern, description, secret);
            for (String bound : new String[] {"min", "max"}) {
                String value = bound.equals("min") ? min : max;
                if (value != null) {
                    if (type != ParameterType.INTEGER && type != ParameterType.NUMBER && type != ParameterType.DURATION) {
                        nodes.error(keys.get(bound), paramPath + "." + bound, "bounds apply to integer, number and duration parameters, not " + type.name().toLowerCase());
                    } else {
                        ParameterValues.typeProblem(type, value).ifPresent(p -> nodes.error(keys.get(bound), paramPath + "." + bound, p));
                    }
                }
            }
            if (defaultValue != null) {
                ParameterValues.problems(spec, defaultValue).forEach(p ->
                        nodes.error(keys.get("default"), paramPath + ".default", "the default breaks its own constraints: " + p));
            }
            return spec;
        }

        private String scalarOrList(Node node, String path) {
            if (node instanceof org.yaml.snakeyaml.nodes.SequenceNode) {
                return String.join(",", nodes.strings(node, path));
            }
            return nodes.string(node, path);
        }

        private Options options(Node node, String path) {
            Map<String, Node> keys = nodes.mapping(node, path, OPTION_KEYS);
            Integer workers = Options.DEFAULT_PARALLEL_WORKERS;
            if (keys.get("parallel_workers") instanceof org.yaml.snakeyaml.nodes.MappingNode declared) {
                ParameterSpec spec = optionParameter("parallel_workers", declared, path, ParameterType.INTEGER,
                        "1", String.valueOf(Options.MAX_PARALLEL_WORKERS));
                workers = spec == null || spec.defaultValue() == null ? workers : Integer.valueOf(spec.defaultValue().trim());
            } else if (keys.containsKey("parallel_workers")) {
                workers = nodes.integer(keys.get("parallel_workers"), path + ".parallel_workers", 1, Options.MAX_PARALLEL_WORKERS);
            }
            Duration timeout = Options.DEFAULT_TIMEOUT;
            if (keys.get("timeout") instanceof org.yaml.snakeyaml.nodes.MappingNode declared) {
                ParameterSpec spec = optionParameter("timeout", declared, path, ParameterType.DURATION,
                        "1s", Durations.format(Options.MAX_TIMEOUT));
                timeout = spec == null || spec.defaultValue() == null ? timeout : Durations.parse(spec.defaultValue());
            } else if (keys.containsKey("timeout")) {
                timeout = nodes.duration(keys.get("timeout"), path + ".timeout", Duration.ofSeconds(1), Options.MAX_TIMEOUT);
            }
            RetryPolicy retry = keys.containsKey("retry_policy")
                    ? retry(keys.get("retry_policy"), path + ".retry_policy") : RetryPolicy.NONE;
            if (workers == null || timeout == null || retry == null) {
                return Options.defaults();
            }
            return new Options(workers, timeout, retry);
        }

        /**
         * An option declared as a parameter: a run may set it within the declared bounds, which
         * must lie within the hard ones.
         */
        private ParameterSpec optionParameter(String name, Node node, String path, ParameterType type, String hardMin, String hardMax) {
            ParameterSpec spec = parameter(name, node, path + "." + name);
            if (spec == null) {
                return null;
            }
            if (spec.type() != type) {
                nodes.error(YamlNodes.valueOf(node, "type").orElse(node), path + "." + name + ".type",
                        "option " + name + " is " + (type == ParameterType.INTEGER ? "an integer" : "a duration") + ", not " + spec.type().name().toLowerCase(java.util.Locale.ROOT));
                return null;
            }
            ParameterSpec bounded = new ParameterSpec(name, type, false, spec.defaultValue(), List.of(),
                    spec.min() == null ? hardMin : spec.min(), spec.max() == null ? hardMax : spec.max(), null,
                    spec.description().isEmpty() ? "run option " + name : spec.description(), false);
            for (String bound : new String[] {bounded.min(), bounded.max()}) {
                ParameterValues.problems(new ParameterSpec(name, type, false, null, List.of(), hardMin, hardMax, null, "", false), bound)
                        .forEach(p -> nodes.error(node, path + "." + name, "the bound " + bound + " is outside what Stagecoach allows: " + p));
            }
            optionParameters.add(bounded);
            return bounded;
        }

        private RetryPolicy retry(Node node, String path) {
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
            Double jitter = keys.containsKey("jitter") ? number(keys.get("jitter"), path + ".jitter") : Double.valueOf(0);
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

        /** @param taken names already used elsewhere in the file (by the main stages, for finally stages) */
        private List<StageSpec> stages(Node node, String path, PipelineType type, Set<String> taken) {
            List<StageSpec> stages = new ArrayList<>();
            Map<String, Node> needsNodes = new HashMap<>();
            Map<String, Integer> indexes = new HashMap<>();
            List<Node> items = nodes.sequence(node, path);
            if (items.isEmpty() && taken.isEmpty() && node instanceof org.yaml.snakeyaml.nodes.SequenceNode) {
                nodes.error(node, path, "a pipeline needs at least one stage");
            }
            for (int i = 0; i < items.size(); i++) {
                String stagePath = path + "[" + i + "]";
                Node item = items.get(i);
                Map<String, Node> keys = nodes.mapping(item, stagePath, STAGE_KEYS);
                StageSpec stage = stage(item, keys, stagePath);
                if (stage == null) {
                    continue;
                }
                if (indexes.containsKey(stage.name()) || taken.contains(stage.name())) {
                    nodes.error(keys.get("name"), stagePath + ".name", "duplicate stage name \"" + stage.name()
                            + "\"; already used by " + (indexes.containsKey(stage.name())
                                    ? path + "[" + indexes.get(stage.name()) + "]" : "a stage"));
                    continue;
                }
                indexes.put(stage.name(), i);
                if (keys.containsKey("needs")) {
                    needsNodes.put(stage.name(), keys.get("needs"));
                }
                stages.add(stage);
            }
            if (taken.isEmpty()) {
                checkNeeds(stages, needsNodes, indexes, path, type);
            }
            return stages;
        }

        /** One stage's keys, or null when it has no usable name. */
        private StageSpec stage(Node item, Map<String, Node> keys, String stagePath) {
            String name = keys.containsKey("name") ? nodes.string(keys.get("name"), stagePath + ".name") : null;
            if (!keys.containsKey("name")) {
                nodes.error(item, stagePath, "missing required key \"name\"");
            }
            if (name == null) {
                return null;
            }
            if (!NAME.matcher(name).matches()) {
                nodes.error(keys.get("name"), stagePath + ".name", "\"" + name + "\" is not a valid stage name; use letters, digits, '-', '_' and '.'");
            }
            List<String> needs = keys.containsKey("needs") ? nodes.strings(keys.get("needs"), stagePath + ".needs") : List.of();
            String run = keys.containsKey("run") ? script(keys.get("run"), stagePath + ".run") : null;
            String uses = keys.containsKey("uses") ? nodes.string(keys.get("uses"), stagePath + ".uses") : null;
            if (run != null && uses != null) {
                nodes.error(keys.get("uses"), stagePath + ".uses", "a stage has either \"run\" (a shell script) or \"uses\" (a stage kind), not both");
            }
            if (run == null && uses == null && !keys.containsKey("run") && !keys.containsKey("uses")) {
                nodes.warning(item, stagePath, "stage \"" + name + "\" has nothing to run (no \"run\" or \"uses\"); it will succeed as a no-op");
            }
            Map<String, String> env = new LinkedHashMap<>();
            if (keys.containsKey("env")) {
                nodes.openMapping(keys.get("env"), stagePath + ".env").forEach((k, v) -> {
                    String value = nodes.string(v, stagePath + ".env." + k);
                    if (value != null) {
                        env.put(k, value);
                        expressions.add(new ReferenceCheck.Use(v, stagePath + ".env." + k, name, ReferenceCheck.Place.ENV, value));
                    }
                });
            }
            String pool = keys.containsKey("pool") ? nodes.string(keys.get("pool"), stagePath + ".pool") : StageSpec.DEFAULT_POOL;
            if (pool != null && !POOL.matcher(pool).matches()) {
                // The pool names a Kafka topic (commands.<pool>), which takes only these characters.
                nodes.error(keys.get("pool"), stagePath + ".pool", "\"" + pool + "\" is not a valid pool name; use letters, digits, "
                        + "'.', '_' and '-', at most 100");
                pool = null;
            }
            Duration timeout = keys.containsKey("timeout")
                    ? nodes.duration(keys.get("timeout"), stagePath + ".timeout", Duration.ofSeconds(1), MAX_STAGE_TIMEOUT)
                    : StageSpec.DEFAULT_TIMEOUT;
            Duration startTimeout = keys.containsKey("start_timeout")
                    ? nodes.duration(keys.get("start_timeout"), stagePath + ".start_timeout", Duration.ofSeconds(1), MAX_STAGE_TIMEOUT)
                    : null;
            Boolean critical = keys.containsKey("critical") ? nodes.bool(keys.get("critical"), stagePath + ".critical") : Boolean.TRUE;
            RetryPolicy retry = keys.containsKey("retry") ? retry(keys.get("retry"), stagePath + ".retry") : null;
            ManualApproval approval = keys.containsKey("manual_approval")
                    ? manualApproval(keys.get("manual_approval"), stagePath + ".manual_approval") : null;
            Fanout fanout = fanout(keys, stagePath);
            if (fanout != null && approval != null) {
                nodes.error(keys.get("manual_approval"), stagePath + ".manual_approval",
                        "a stage that fans out cannot wait for approval (every shard would ask); put the approval on a stage before it");
            }
            String rollback = keys.containsKey("rollback") ? script(keys.get("rollback"), stagePath + ".rollback") : null;
            OnFailure onFailure = keys.containsKey("on_failure")
                    ? nodes.enumValue(keys.get("on_failure"), stagePath + ".on_failure", OnFailure.class) : OnFailure.RETRY;
            if (onFailure == OnFailure.ROLLBACK_AND_RETRY && rollback == null) {
                nodes.error(keys.get("on_failure"), stagePath + ".on_failure",
                        "rollback_and_retry runs the stage's rollback before each retry; give the stage a \"rollback\" command");
            }
            String when = keys.containsKey("when") ? nodes.string(keys.get("when"), stagePath + ".when") : null;
            if (when != null) {
                expressions.add(new ReferenceCheck.Use(keys.get("when"), stagePath + ".when", name, ReferenceCheck.Place.CONDITION, when));
            }
            List<Gate> gates = keys.containsKey("gates") ? gates(keys.get("gates"), stagePath + ".gates") : List.of();
            Map<String, String> with = inputs.read(name, keys.get("with"), stagePath, uses, keys.get("uses"));
            boolean fansOut = fanout != null;
            List<String> outputs = keys.containsKey("outputs") ? results.outputs(keys.get("outputs"), stagePath + ".outputs", fansOut) : List.of();
            List<String> artifacts = keys.containsKey("artifacts") ? results.artifacts(keys.get("artifacts"), stagePath + ".artifacts") : List.of();
            Map<String, Aggregation> aggregate = keys.containsKey("aggregate")
                    ? results.aggregate(keys.get("aggregate"), stagePath + ".aggregate", fansOut) : Map.of();
            return new StageSpec(name, needs, run, uses, env, pool == null ? StageSpec.DEFAULT_POOL : pool,
                    timeout == null ? StageSpec.DEFAULT_TIMEOUT : timeout, critical == null || critical, retry, approval, fanout,
                    rollback, onFailure == null ? OnFailure.RETRY : onFailure, when, gates, with, outputs, artifacts, aggregate,
                    startTimeout);
        }

        /** A bash script: never interpolated, since a value spliced into shell text could run as code. */
        private String script(Node node, String path) {
            String script = nodes.string(node, path);
            int at = script == null ? 0 : Interpolation.firstOpening(script);
            if (at > 0) {
                nodes.error(node, path, "\"" + Interpolation.OPEN + "\" at " + ReferenceCheck.position(script, at)
                        + ": scripts are not interpolated, since a value spliced into shell text could run as code;"
                        + " set an env variable to the expression and use the variable, e.g. env: {VERSION: \"${{ params.version }}\"} and \"$VERSION\"");
            }
            return script;
        }

        /**
         * {@code parallel: N} shards, {@code parallel: true} for as many as {@code parallel_workers}
         * (resolved later, when options are known: 0 here), {@code parallel: false}, or a {@code matrix}.
         */
        private Fanout fanout(Map<String, Node> keys, String stagePath) {
            Node parallel = keys.get("parallel");
            Node matrix = keys.get("matrix");
            if (parallel != null && matrix != null) {
                nodes.error(matrix, stagePath + ".matrix", "a stage fans out by \"parallel\" or by \"matrix\", not both");
                return null;
            }
            if (matrix != null) {
                Map<String, List<String>> values = new LinkedHashMap<>();
                nodes.openMapping(matrix, stagePath + ".matrix").forEach((key, list) -> {
                    List<String> options = nodes.strings(list, stagePath + ".matrix." + key);
                    if (options.isEmpty()) {
                        nodes.error(list, stagePath + ".matrix." + key, "a matrix key needs at least one value");
                    } else {
                        values.put(key, options);
                    }
                });
                Fanout fanout = new Fanout(0, values);
                if (values.isEmpty()) {
                    return null;
                }
                if (fanout.count() > Fanout.MAX_SHARDS) {
                    nodes.error(matrix, stagePath + ".matrix", "the matrix makes " + fanout.count() + " shards; at most "
                            + Fanout.MAX_SHARDS + " are allowed");
                    return null;
                }
                return fanout;
            }
            if (parallel == null) {
                return null;
            }
            String text = parallel instanceof org.yaml.snakeyaml.nodes.ScalarNode scalar ? scalar.getValue() : "";
            if (text.equals("true") || text.equals("false")) {
                return text.equals("true") ? new Fanout(0, Map.of()) : null;
            }
            Integer shards = nodes.integer(parallel, stagePath + ".parallel", 1, Fanout.MAX_SHARDS);
            return shards == null || shards == 1 ? null : new Fanout(shards, Map.of());
        }

        private List<Gate> gates(Node node, String path) {
            List<Gate> gates = new ArrayList<>();
            List<Node> items = nodes.sequence(node, path);
            for (int i = 0; i < items.size(); i++) {
                String gatePath = path + "[" + i + "]";
                Map<String, Node> keys = nodes.mapping(items.get(i), gatePath, GATE_KEYS);
                String metric = keys.containsKey("metric") ? nodes.string(keys.get("metric"), gatePath + ".metric") : null;
                if (!keys.containsKey("metric")) {
                    nodes.error(items.get(i), gatePath, "missing required key \"metric\": the name the stage reports with ::metric <name>=<value>");
                }
                Double min = keys.containsKey("min") ? number(keys.get("min"), gatePath + ".min") : null;
                Double max = keys.containsKey("max") ? number(keys.get("max"), gatePath + ".max") : null;
                if (metric != null && min == null && max == null && !keys.containsKey("min") && !keys.containsKey("max")) {
                    nodes.error(items.get(i), gatePath, "a gate needs \"min\", \"max\" or both");
                }
                if (min != null && max != null && min > max) {
                    nodes.error(keys.get("max"), gatePath + ".max", "max " + max + " is below min " + min);
                }
                Gate.Severity severity = keys.containsKey("severity")
                        ? nodes.enumValue(keys.get("severity"), gatePath + ".severity", Gate.Severity.class) : Gate.Severity.FAIL;
                if (metric != null && severity != null) {
                    gates.add(new Gate(metric, min, max, severity));
                }
            }
            return gates;
        }

        private Double number(Node node, String path) {
            String text = nodes.string(node, path);
            try {
                return text == null ? null : Double.valueOf(text.trim());
            } catch (NumberFormatException e) {
                nodes.error(node, path, "expected a number, found \"" + text + "\"");
                return null;
            }
        }

        /** {@code manual_approval: true}, or a mapping with approvers and a timeout. */
        private ManualApproval manualApproval(Node node, String path) {
            if (node instanceof org.yaml.snakeyaml.nodes.ScalarNode) {
                Boolean wanted = nodes.bool(node, path);
                return Boolean.TRUE.equals(wanted) ? new ManualApproval(List.of(), null) : null;
            }
            Map<String, Node> keys = nodes.mapping(node, path, APPROVAL_KEYS);
            List<String> approvers = keys.containsKey("approvers") ? nodes.strings(keys.get("approvers"), path + ".approvers") : List.of();
            Duration timeout = keys.containsKey("timeout")
                    ? nodes.duration(keys.get("timeout"), path + ".timeout", Duration.ofSeconds(1), Duration.ofDays(30)) : null;
            return new ManualApproval(approvers, timeout);
        }

        private List<StageSpec> finallyStages(Node node, String path, Set<String> mainStages) {
            if (node instanceof org.yaml.snakeyaml.nodes.SequenceNode sequence) {
                for (int i = 0; i < sequence.getValue().size(); i++) {
                    String itemPath = path + "[" + i + "]";
                    YamlNodes.valueOf(sequence.getValue().get(i), "needs").ifPresent(needs -> nodes.error(needs, itemPath + ".needs",
                            "finally stages take no \"needs\": they run one after another, in the order written, once the run's outcome is known"));
                    YamlNodes.valueOf(sequence.getValue().get(i), "manual_approval").ifPresent(a -> nodes.error(a, itemPath + ".manual_approval",
                            "finally stages cannot wait for approval: they must run whatever happens"));
                    for (String fan : List.of("parallel", "matrix")) {
                        YamlNodes.valueOf(sequence.getValue().get(i), fan).ifPresent(f -> nodes.error(f, itemPath + "." + fan,
                                "finally stages do not fan out; they run one after another"));
                    }
                }
            }
            return stages(node, path, PipelineType.SEQUENTIAL, mainStages);
        }

        private void checkNeeds(List<StageSpec> stages, Map<String, Node> needsNodes, Map<String, Integer> indexes, String path,
                PipelineType type) {
            for (StageSpec stage : stages) {
                for (String need : stage.needs()) {
                    String needsPath = path + "[" + indexes.get(stage.name()) + "].needs";
                    if (!indexes.containsKey(need)) {
                        nodes.error(needsNodes.get(stage.name()), needsPath, "unknown stage \"" + need + "\""
                                + Suggestions.didYouMean(need, indexes.keySet()));
                    } else if (need.equals(stage.name())) {
                        nodes.error(needsNodes.get(stage.name()), needsPath, "stage \"" + need + "\" cannot need itself");
                    }
                }
            }
            // A stage that needs itself is reported above; it is not also a cycle worth a second error.
            Optional<List<String>> cycle = StageGraph.findCycle(stages).filter(c -> c.size() > 2);
            cycle.ifPresent(c -> {
                String first = c.get(0);
                nodes.error(needsNodes.get(first), path + "[" + indexes.get(first) + "].needs",
                        "the stages depend on each other in a cycle: " + String.join(" -> ", c));
            });
            if (cycle.isEmpty() && type == PipelineType.SEQUENTIAL) {
                // The engine waits on the effective needs: an explicit need of a later stage plus
                // the implicit order can deadlock a run although the explicit needs have no cycle.
                Set<String> withoutNeeds = new HashSet<>();
                stages.stream().filter(s -> s.needs().isEmpty()).forEach(s -> withoutNeeds.add(s.name()));
                StageGraph.findCycle(StageGraph.effectiveNeeds(type, stages)).ifPresent(c -> {
                    String explicit = c.stream().filter(s -> !withoutNeeds.contains(s)).findFirst().orElse(c.get(0));
                    List<String> implicit = c.subList(0, c.size() - 1).stream()
                            .filter(withoutNeeds::contains).map(s -> "\"" + s + "\"").toList();
                    nodes.error(needsNodes.get(explicit), path + "[" + indexes.get(explicit) + "].needs",
                            "the stages depend on each other in a cycle: " + String.join(" -> ", c) + "; in a sequential"
                            + " pipeline a stage without \"needs\" waits for the stage declared before it, as "
                            + String.join(", ", implicit) + (implicit.size() == 1 ? " does" : " do")
                            + ": reorder the stages, give them their own \"needs\" or use type: hybrid");
                });
            }
        }

        private Map<NotificationEvent, List<NotificationTarget>> notifications(Node node, String path) {
            Set<String> events = new LinkedHashSet<>();
            for (NotificationEvent event : NotificationEvent.values()) {
                events.add(event.key());
            }
            Map<NotificationEvent, List<NotificationTarget>> notifications = new EnumMap<>(NotificationEvent.class);
            for (Map.Entry<String, Node> entry : nodes.mapping(node, path, events).entrySet()) {
                String eventPath = path + "." + entry.getKey();
                NotificationEvent event = NotificationEvent.valueOf(entry.getKey().toUpperCase(java.util.Locale.ROOT));
                List<NotificationTarget> targets = new ArrayList<>();
                List<Node> items = nodes.sequence(entry.getValue(), eventPath);
                for (int i = 0; i < items.size(); i++) {
                    String targetPath = eventPath + "[" + i + "]";
                    Map<String, Node> keys = nodes.mapping(items.get(i), targetPath, CHANNEL_KEYS);
                    if (keys.size() != 1) {
                        if (keys.isEmpty() && YamlNodes.valueOf(items.get(i), "").isEmpty() && items.get(i) instanceof org.yaml.snakeyaml.nodes.MappingNode m
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
                    String value = nodes.string(target.getValue(), targetPath + "." + target.getKey());
                    if (value != null) {
                        targets.add(new NotificationTarget(
                                NotificationTarget.Channel.valueOf(target.getKey().toUpperCase(java.util.Locale.ROOT)), value));
                    }
                }
                notifications.put(event, targets);
            }
            return notifications;
        }
    }
}
