package dev.stagecoach.pipeline.expr;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A parsed condition of the pipeline language, e.g.
 * {@code params.environment == 'production' && stages.test.status == 'SUCCEEDED'}.
 * Values are text, numbers or booleans; a reference names {@code params.<name>},
 * {@code stages.<name>.status} or {@code run.id}/{@code run.pipeline}. Expressions are
 * evaluated by the engine and never spliced into shell text.
 */
public sealed interface Expression {

    /** Looks a reference up while evaluating; returns null for "no value". */
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
                boolean equal = Objects.equals(text(a), text(b));
                return operator.equals("==") == equal;
            } else {
                order = String.valueOf(text(a)).compareTo(String.valueOf(text(b)));
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

        private static String text(Object value) {
            return value instanceof BigDecimal n ? n.stripTrailingZeros().toPlainString() : value == null ? null : value.toString();
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
