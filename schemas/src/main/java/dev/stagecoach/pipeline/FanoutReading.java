package dev.stagecoach.pipeline;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads how a stage fans out: {@code parallel: N} shards, {@code parallel: true} for as many as
 * the run's {@code parallel_workers}, {@code parallel: false}, or a {@code matrix} of values,
 * one shard per combination, at most {@link Fanout#MAX_SHARDS}.
 */
final class FanoutReading {

    private final YamlNodes nodes;

    FanoutReading(YamlNodes nodes) {
        this.nodes = nodes;
    }

    /** The stage's fan-out, or null when it runs once; {@code parallel: true} gives 0 shards until {@link #resolved}. */
    Fanout fanout(Map<String, Node> keys, String stagePath) {
        Node parallel = keys.get("parallel");
        Node matrix = keys.get("matrix");
        if (parallel != null && matrix != null) {
            nodes.error(matrix, stagePath + ".matrix", "a stage fans out by \"parallel\" or by \"matrix\", not both");
            return null;
        }
        if (matrix != null) {
            return matrix(matrix, stagePath + ".matrix");
        }
        if (parallel == null) {
            return null;
        }
        String text = parallel instanceof ScalarNode scalar ? scalar.getValue() : "";
        if (text.equals("true") || text.equals("false")) {
            return text.equals("true") ? new Fanout(0, Map.of()) : null;
        }
        Integer shards = nodes.integer(parallel, stagePath + ".parallel", 1, Fanout.MAX_SHARDS);
        return shards == null || shards == 1 ? null : new Fanout(shards, Map.of());
    }

    private Fanout matrix(Node matrix, String path) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        nodes.openMapping(matrix, path).forEach((key, list) -> {
            List<String> options = nodes.strings(list, path + "." + key);
            if (options.isEmpty()) {
                nodes.error(list, path + "." + key, "a matrix key needs at least one value");
            } else {
                values.put(key, options);
            }
        });
        if (values.isEmpty()) {
            return null;
        }
        // In BigInteger: an int product of a few long lists wraps round, to a small number or to 0 (parallel: true).
        BigInteger combinations = values.values().stream().map(v -> BigInteger.valueOf(v.size())).reduce(BigInteger.ONE, BigInteger::multiply);
        if (combinations.compareTo(BigInteger.valueOf(Fanout.MAX_SHARDS)) > 0) {
            nodes.error(matrix, path, "the matrix makes " + combinations + " shards; at most " + Fanout.MAX_SHARDS + " are allowed");
            return null;
        }
        return new Fanout(0, values);
    }

    /** The stages with {@code parallel: true} given their shard count, known once the options are read. */
    static List<StageSpec> resolved(List<StageSpec> stages, Options options) {
        return stages.stream().map(st -> st.fanout() == null || st.fanout().count() > 0 ? st
                : new StageSpec(st.name(), st.needs(), st.run(), st.uses(), st.env(), st.pool(), st.timeout(), st.critical(),
                        st.retry(), st.manualApproval(), new Fanout(options.parallelWorkers(), Map.of()), st.rollback(),
                        st.onFailure(), st.when(), st.gates(), st.with(), st.outputs(), st.artifacts(), st.aggregate(),
                        st.startTimeout())).toList();
    }
}
