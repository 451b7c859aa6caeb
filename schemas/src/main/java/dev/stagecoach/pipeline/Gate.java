package dev.stagecoach.pipeline;

import java.util.List;
import java.util.Map;

/**
 * A quality gate on a metric the stage reports ({@code ::metric name=value}): the value must
 * lie within min and max. A failing {@code fail} gate fails the attempt; a failing
 * {@code warn} gate leaves the stage successful with a warning.
 */
public record Gate(String metric, Double min, Double max, Severity severity) {

    public enum Severity { FAIL, WARN }

    /** @param message what was checked and what was found, e.g. "coverage 72.0 is below 80.0" */
    public record Result(Gate gate, boolean passed, String message) {
    }

    public Result check(Map<String, Double> metrics) {
        Double value = metrics.get(metric);
        if (value == null) {
            return new Result(this, false, metric + " was not reported (print ::metric " + metric + "=<value>)");
        }
        if (min != null && value < min) {
            return new Result(this, false, metric + " " + value + " is below " + min);
        }
        if (max != null && value > max) {
            return new Result(this, false, metric + " " + value + " is above " + max);
        }
        return new Result(this, true, metric + " " + value + " is within " + (min == null ? "" : "min " + min)
                + (min != null && max != null ? " and " : "") + (max == null ? "" : "max " + max));
    }

    public static List<Result> checkAll(List<Gate> gates, Map<String, Double> metrics) {
        return gates.stream().map(g -> g.check(metrics)).toList();
    }
}
