package dev.stagecoach.pipeline;

import dev.stagecoach.pipeline.expr.Interpolation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a pipeline's {@code stages} and its {@code finally} stages: each stage's name, what it
 * runs, where and for how long, its retries, fan-out, gates and approval, its inputs and what
 * it leaves for later, with unique names and needs that cannot deadlock a run. Conditions and
 * env values are handed on for the {@link ReferenceCheck}, which needs every stage first.
 */
final class StageReading {

    private static final Set<String> STAGE_KEYS = LanguageSchema.STAGE.keys();
    private static final Pattern POOL = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Duration MAX_STAGE_TIMEOUT = Duration.ofHours(24);

    private final YamlNodes nodes;
    private final List<ReferenceCheck.Use> expressions;
    private final RetryReading retries;
    private final FanoutReading fanouts;
    private final List<SizeCheck.FannedOut> fannedOut = new ArrayList<>();
    private final GateReading gateReading;
    private final StageInputs inputs;
    private final StageResultReading results;

    StageReading(YamlNodes nodes, List<ReferenceCheck.Use> expressions, RetryReading retries) {
        this.nodes = nodes;
        this.expressions = expressions;
        this.retries = retries;
        this.fanouts = new FanoutReading(nodes);
        this.gateReading = new GateReading(nodes);
        this.inputs = new StageInputs(nodes, expressions);
        this.results = new StageResultReading(nodes);
    }

    /** The main stages, whose needs are checked here once all of them are known. */
    /** The stages read so far that fan out, in file order. */
    List<SizeCheck.FannedOut> fannedOut() {
        return fannedOut;
    }

    List<StageSpec> stages(Node node, String path, PipelineType type) {
        return stages(node, path, type, Set.of());
    }

    /** Stages that run one after another once the run's outcome is known, named unlike any main stage. */
    List<StageSpec> finallyStages(Node node, String path, Set<String> mainStages) {
        if (node instanceof SequenceNode sequence) {
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

    /** @param taken names already used elsewhere in the file (by the main stages, for finally stages) */
    private List<StageSpec> stages(Node node, String path, PipelineType type, Set<String> taken) {
        List<StageSpec> stages = new ArrayList<>();
        Map<String, Node> needsNodes = new HashMap<>();
        Map<String, Integer> indexes = new HashMap<>();
        List<Node> items = nodes.sequence(node, path);
        if (items.isEmpty() && taken.isEmpty() && node instanceof SequenceNode) {
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
            new NeedsCheck(nodes).check(stages, needsNodes, indexes, path, type);
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
        if (!PipelineLoader.NAME.matcher(name).matches()) {
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
        RetryPolicy retry = keys.containsKey("retry") ? retries.retry(keys.get("retry"), stagePath + ".retry") : null;
        ManualApproval approval = keys.containsKey("manual_approval")
                ? gateReading.manualApproval(keys.get("manual_approval"), stagePath + ".manual_approval") : null;
        Fanout fanout = fanouts.fanout(keys, stagePath);
        if (fanout != null) {
            String fanKey = keys.containsKey("matrix") ? "matrix" : "parallel";
            fannedOut.add(new SizeCheck.FannedOut(keys.get(fanKey), stagePath + "." + fanKey, name, fanout));
        }
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
        List<Gate> gates = keys.containsKey("gates") ? gateReading.gates(keys.get("gates"), stagePath + ".gates") : List.of();
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
}
