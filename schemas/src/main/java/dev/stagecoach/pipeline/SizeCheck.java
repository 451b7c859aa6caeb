package dev.stagecoach.pipeline;

import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Refuses a pipeline too big to run: more stages than {@code stagecoach.limits.stages}, or
 * fan-outs that together make more shards for one run than {@code stagecoach.limits.shards}.
 * Each shard is a step the engine keeps in the run's state and a command a worker runs.
 */
final class SizeCheck {

    /** A stage that fans out, where its {@code matrix} or {@code parallel} is written. */
    record FannedOut(Node node, String path, String stage, Fanout fanout) {
    }

    private SizeCheck() {
    }

    /** The file itself, before it is parsed: false when it is too big to read at all. */
    static boolean fileFits(YamlNodes nodes, String yaml, PipelineLimits limits) {
        long bytes = utf8Length(yaml, limits.pipelineBytes());
        if (bytes > limits.pipelineBytes()) {
            nodes.error("pipeline", "the file is larger than " + PipelineLimits.bytes(limits.pipelineBytes())
                    + ", the most a pipeline may be (stagecoach.limits.pipeline-bytes); it was not read");
            return false;
        }
        return true;
    }

    static void stages(YamlNodes nodes, Node stagesNode, String path, int count, PipelineLimits limits) {
        if (count > limits.stages()) {
            nodes.error(stagesNode, path, "the pipeline has " + count + " stages (finally stages included); at most "
                    + limits.stages() + " are allowed (stagecoach.limits.stages)");
        }
    }

    /** @param parallelWorkers how many shards {@code parallel: true} makes */
    static void shards(YamlNodes nodes, List<FannedOut> fannedOut, int parallelWorkers, PipelineLimits limits) {
        long total = 0;
        for (FannedOut stage : fannedOut) {
            int count = stage.fanout().count() == 0 ? parallelWorkers : stage.fanout().count();
            total += count;
            if (total > limits.shards()) {
                String what = stage.fanout().matrix().isEmpty() ? "parallel: " + count : "the matrix of " + count + " combinations";
                nodes.error(stage.node(), stage.path(), "stage \"" + stage.stage() + "\": " + what + " brings the run to " + total
                        + " shards; a run may have at most " + limits.shards() + " (stagecoach.limits.shards)");
                return;
            }
        }
    }

    // Counts no further than just past the limit: the question is only whether the file fits.
    private static long utf8Length(String text, long limit) {
        if (text.length() > limit) {
            return text.length();
        }
        long bytes = 0;
        for (int i = 0; i < text.length() && bytes <= limit; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
