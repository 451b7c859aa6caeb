package dev.stagecoach.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a stage fans out into shards: a number of identical shards ({@code parallel}), or one
 * shard per combination of values ({@code matrix}). Each shard runs as an attempt of its own,
 * with its own retries, and is told its index and the count.
 *
 * @param shards how many shards when there is no matrix
 * @param matrix the values per key, in the order written; empty for plain shards
 */
public record Fanout(int shards, Map<String, List<String>> matrix) {

    public static final int MAX_SHARDS = 1000;

    public Fanout {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        matrix.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        matrix = java.util.Collections.unmodifiableMap(copy);
    }

    public int count() {
        if (matrix.isEmpty()) {
            return shards;
        }
        return matrix.values().stream().mapToInt(List::size).reduce(1, (a, b) -> a * b);
    }

    /** The matrix values of shard {@code index}: the last key varies fastest, as people read a table. */
    public Map<String, String> valuesOf(int index) {
        Map<String, String> values = new LinkedHashMap<>();
        int rest = index;
        List<String> keys = new ArrayList<>(matrix.keySet());
        for (int k = keys.size() - 1; k >= 0; k--) {
            List<String> options = matrix.get(keys.get(k));
            values.put(keys.get(k), options.get(rest % options.size()));
            rest /= options.size();
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        keys.forEach(key -> ordered.put(key, values.get(key)));
        return ordered;
    }
}
