package dev.stagecoach.pipeline;

import java.nio.file.FileSystems;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.Node;

/** Reads what a stage leaves for later: its declared outputs, the artifacts it keeps, how its shards' metrics combine. */
final class StageResultReading {

    // The part of a reference between dots (stages.<name>.outputs.<key>) takes letters, digits, '_' and '-'.
    private static final Pattern OUTPUT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private final YamlNodes nodes;

    StageResultReading(YamlNodes nodes) {
        this.nodes = nodes;
    }

    List<String> outputs(Node node, String path, boolean fansOut) {
        List<String> names = new ArrayList<>();
        if (fansOut) {
            nodes.error(node, path, "a stage that fans out cannot declare outputs: each shard would set its own;"
                    + " report ::metric values and combine them with \"aggregate\"");
            return names;
        }
        nodes.eachString(node, path, (item, itemPath, name) -> {
            if (!OUTPUT_NAME.matcher(name).matches()) {
                nodes.error(item, itemPath, "\"" + name + "\" is not a valid output name; use letters, digits, '_' and '-', starting with a letter or '_'");
            } else if (names.contains(name)) {
                nodes.error(item, itemPath, "output \"" + name + "\" is declared twice");
            } else {
                names.add(name);
            }
        });
        return names;
    }

    /** Paths stay inside the run's workspace: the worker keeps files from there and nowhere else. */
    List<String> artifacts(Node node, String path) {
        List<String> paths = new ArrayList<>();
        nodes.eachString(node, path, (item, itemPath, artifact) -> {
            String problem = artifactProblem(artifact);
            if (problem != null) {
                nodes.error(item, itemPath, "\"" + artifact + "\" " + problem);
            } else {
                paths.add(artifact);
            }
        });
        return paths;
    }

    private static String artifactProblem(String artifact) {
        if (artifact.isBlank()) {
            return "is empty; name a path inside the run's workspace, e.g. dist/*.tar.gz";
        }
        if (artifact.startsWith("/") || artifact.startsWith("\\") || artifact.matches("[A-Za-z]:[\\\\/].*")) {
            return "is absolute; artifacts are paths relative to the run's workspace, e.g. dist/*.tar.gz";
        }
        if (artifact.startsWith("~")) {
            return "starts with ~, which nothing expands here; artifacts are paths relative to the run's workspace";
        }
        if (Arrays.asList(artifact.split("[/\\\\]")).contains("..")) {
            return "leaves the run's workspace with \"..\"; artifacts are paths inside it";
        }
        try {
            FileSystems.getDefault().getPathMatcher("glob:" + artifact);
        } catch (PatternSyntaxException e) {
            return "is not a valid glob: " + e.getDescription();
        }
        return null;
    }

    Map<String, Aggregation> aggregate(Node node, String path, boolean fansOut) {
        Map<String, Aggregation> aggregate = new LinkedHashMap<>();
        if (!fansOut) {
            nodes.error(node, path, "\"aggregate\" combines the metrics of a stage's shards; the stage needs \"parallel\" or \"matrix\"");
            return aggregate;
        }
        nodes.openMapping(node, path).forEach((metric, value) -> {
            Aggregation aggregation = nodes.enumValue(value, path + "." + metric, Aggregation.class);
            if (aggregation != null) {
                aggregate.put(metric, aggregation);
            }
        });
        return aggregate;
    }
}
