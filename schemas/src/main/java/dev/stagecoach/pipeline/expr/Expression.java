package dev.stagecoach.pipeline.expr;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A parsed expression of the pipeline language: a {@code when} condition, the inside of a
 * {@code ${{ ... }}} {@link Interpolation}, or a trigger's event filter, e.g.
 * {@code params.environment == 'production' && stages.test.status == 'SUCCEEDED'}.
 * Values are text, numbers or booleans; a reference is a dotted path such as
 * {@code params.version}. The loader decides which paths a place may read. Expressions are
 * evaluated by the engine and never spliced into shell text.
 */
public sealed interface Expression {

    /**
     * Looks a reference up while evaluating; returns null for "no value". The path is the
     * reference split at its dots, as written:
     * <ul>
     * <li>{@code [params, <name>]}: a run parameter;</li>
     * <li>{@code [stages, <stage>, status]}: a stage's status, e.g. {@code SUCCEEDED};</li>
     * <li>{@code [stages, <stage>, outputs, <key>]}: a value the stage printed as {@code ::output key=value};</li>
     * <li>{@code [stages, <stage>, metrics, <key>]}: a metric it printed as {@code ::metric key=value}
     *     (for a fanned-out stage, its shards' values combined by {@code aggregate});</li>
     * <li>{@code [run, id]}, {@code [run, pipeline]}, {@code [run, started_at]} (ISO-8601);</li>
     * <li>{@code [secrets, <NAME>]}: a secret of the deployment, by name;</li>
     * <li>{@code [payload, ...]} in a webhook trigger's params, {@code [event, ...]} in an event trigger's filter.</li>
     * </ul>
     */
    interface Context extends Function<List<String>, String> {
    }

    Object evaluate(Context context);

    /** The references the expression reads, for validation before any run. */
    default List<Reference> references() {
        return List.of();
    }

    default boolean test(Context context) {
        return truthy(evaluate(context));
    }

    /** A value as text: numbers without trailing zeros, {@code true}/{@code false}, null for no value. */
    static String text(Object value) {
        return value instanceof BigDecimal n ? n.stripTrailingZeros().toPlainString() : value == null ? null : value.toString();
    }

    static boolean truthy(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof BigDecimal n) {
            return n.signum() != 0;
        }
        return value != null && !value.toString().isEmpty() && !value.toString().equals("false");
    }

    record Literal(Object value) implements Expression {
        @Override
        public Object evaluate(Context context) {
            return value;
        }
    }

    record Reference(List<String> path, int column) implements Expression {
        @Override
        public Object evaluate(Context context) {
            return context.apply(path);
        }

        @Override
        public List<Reference> references() {
            return List.of(this);
        }

        @Override
        public String toString() {
            return String.join(".", path);
        }
    }

    record Not(Expression operand) implements Expression {
        @Override
        public Object evaluate(Context context) {
            return !operand.test(context);
        }

        @Override
        public List<Reference> references() {
            return operand.references();
        }
    }

    record Logical(String operator, Expression left, Expression right) implements Expression {
        @Override
        public Object evaluate(Context context) {
            boolean first = left.test(context);
            return operator.equals("&&") ? first && right.test(context) : first || right.test(context);
        }

        @Override
        public List<Reference> references() {
            return java.util.stream.Stream.concat(left.references().stream(), right.references().stream()).toList();
        }
    }

    record Comparison(String operator, Expression left, Expression right) implements Expression {
        @Override
        public Object evaluate(Context context) {
            Object a = left.evaluate(context);
            Object b = right.evaluate(context);
            BigDecimal x = number(a);
            BigDecimal y = number(b);
            int order;
            if (x != null && y != null) {
                order = x.compareTo(y);
            } else if (operator.equals("==") || operator.equals("!=")) {
                boolean equal = Objects.equals(Expression.text(a), Expression.text(b));
                return operator.equals("==") == equal;
            } else if (a == null || b == null) {
                // Nothing is more or less than a missing value: event.replicas >= 3 must not hold
                // for an event without replicas (as text, "null" would sort after "3").
                return false;
            } else {
                order = Expression.text(a).compareTo(Expression.text(b));
            }
            return switch (operator) {
                case "==" -> order == 0;
                case "!=" -> order != 0;
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                default -> order >= 0;
            };
        }

        @Override
        public List<Reference> references() {
            return java.util.stream.Stream.concat(left.references().stream(), right.references().stream()).toList();
        }

        private static BigDecimal number(Object value) {
            if (value instanceof BigDecimal n) {
                return n;
            }
            if (value instanceof String s && s.matches("-?\\d+(\\.\\d+)?")) {
                return new BigDecimal(s);
            }
            return null;
        }
    }
}
