package dev.stagecoach.pipeline;

import java.util.List;

/**
 * How the metric of a fanned-out stage is combined from the values its shards report, so
 * that gates, conditions and later stages see one value per stage. A metric that the
 * stage's {@code aggregate} does not name is summed.
 */
public enum Aggregation {
    SUM, MIN, MAX, AVG;

    public static final Aggregation DEFAULT = SUM;

    /** @throws IllegalArgumentException for no values: a metric no shard reported has no value, not 0 */
    public double combine(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to combine: a metric no shard reported has no value");
        }
        var numbers = values.stream().mapToDouble(Double::doubleValue);
        return switch (this) {
            case SUM -> numbers.sum();
            case MIN -> numbers.min().orElseThrow();
            case MAX -> numbers.max().orElseThrow();
            case AVG -> numbers.average().orElseThrow();
        };
    }
}
