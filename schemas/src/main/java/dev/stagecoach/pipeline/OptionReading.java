package dev.stagecoach.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a pipeline's run {@code options}: parallel workers, the run timeout and the default
 * retry policy. An option may be a plain value or be declared like a parameter, which lets a
 * run set it within bounds that must lie inside Stagecoach's own; such options are kept as
 * parameters too.
 */
final class OptionReading {

    private static final Set<String> OPTION_KEYS = LanguageSchema.OPTIONS.keys();

    private final YamlNodes nodes;
    private final ParameterReading parameters;
    private final RetryReading retries;
    private final List<ParameterSpec> optionParameters = new ArrayList<>();

    OptionReading(YamlNodes nodes, ParameterReading parameters, RetryReading retries) {
        this.nodes = nodes;
        this.parameters = parameters;
        this.retries = retries;
    }

    Options options(Node node, String path) {
        Map<String, Node> keys = nodes.mapping(node, path, OPTION_KEYS);
        Integer workers = Options.DEFAULT_PARALLEL_WORKERS;
        if (keys.get("parallel_workers") instanceof MappingNode declared) {
            ParameterSpec spec = optionParameter("parallel_workers", declared, path, ParameterType.INTEGER,
                    "1", String.valueOf(Options.MAX_PARALLEL_WORKERS));
            workers = spec == null || spec.defaultValue() == null ? workers : Integer.valueOf(spec.defaultValue().trim());
        } else if (keys.containsKey("parallel_workers")) {
            workers = nodes.integer(keys.get("parallel_workers"), path + ".parallel_workers", 1, Options.MAX_PARALLEL_WORKERS);
        }
        Duration timeout = Options.DEFAULT_TIMEOUT;
        if (keys.get("timeout") instanceof MappingNode declared) {
            ParameterSpec spec = optionParameter("timeout", declared, path, ParameterType.DURATION,
                    "1s", Durations.format(Options.MAX_TIMEOUT));
            timeout = spec == null || spec.defaultValue() == null ? timeout : Durations.parse(spec.defaultValue());
        } else if (keys.containsKey("timeout")) {
            timeout = nodes.duration(keys.get("timeout"), path + ".timeout", Duration.ofSeconds(1), Options.MAX_TIMEOUT);
        }
        RetryPolicy retry = keys.containsKey("retry_policy")
                ? retries.retry(keys.get("retry_policy"), path + ".retry_policy") : RetryPolicy.NONE;
        if (workers == null || timeout == null || retry == null) {
            return Options.defaults();
        }
        return new Options(workers, timeout, retry);
    }

    /** The options read so far that a run may set, declared like parameters (type, default, min, max). */
    List<ParameterSpec> optionParameters() {
        return optionParameters;
    }

    /**
     * An option declared as a parameter: a run may set it within the declared bounds, which
     * must lie within the hard ones.
     */
    private ParameterSpec optionParameter(String name, Node node, String path, ParameterType type, String hardMin, String hardMax) {
        ParameterSpec spec = parameters.parameter(name, node, path + "." + name);
        if (spec == null) {
            return null;
        }
        if (spec.type() != type) {
            nodes.error(YamlNodes.valueOf(node, "type").orElse(node), path + "." + name + ".type",
                    "option " + name + " is " + (type == ParameterType.INTEGER ? "an integer" : "a duration") + ", not " + spec.type().name().toLowerCase(Locale.ROOT));
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
}
