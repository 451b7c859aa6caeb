package dev.stagecoach.pipeline.expr;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Recursive descent over the condition grammar: or, and, not, comparison, primary. */
public final class ExpressionParser {

    /** A condition that does not parse, with the 1-based column where it went wrong. */
    public static final class ParseException extends RuntimeException {
        private final int column;

        ParseException(String message, int column) {
            super(message);
            this.column = column;
        }

        public int column() {
            return column;
        }
    }

    private final String text;
    private final int end;
    /** What the text is called in messages: a condition stands alone, an expression is embedded in a longer text. */
    private final String called;
    private int at;

    private ExpressionParser(String text, int from, int end, String called) {
        this.text = text;
        this.at = from;
        this.end = end;
        this.called = called;
    }

    public static Expression parse(String text) {
        return parse(text, 0, text.length(), "condition");
    }

    /**
     * Parses {@code text} from index {@code from} up to {@code end}. Columns, in errors and in
     * references, count from the start of {@code text}, so that an expression embedded in a
     * longer value (see {@link Interpolation}) is located within that value.
     */
    static Expression parse(String text, int from, int end) {
        return parse(text, from, end, "expression");
    }

    private static Expression parse(String text, int from, int end, String called) {
        ExpressionParser parser = new ExpressionParser(text, from, end, called);
        Expression expression = parser.or();
        parser.skipSpaces();
        if (parser.at < end) {
            throw new ParseException("unexpected \"" + text.substring(parser.at, end).stripTrailing() + "\"", parser.at + 1);
        }
        return expression;
    }

    private Expression or() {
        Expression left = and();
        while (take("||")) {
            left = new Expression.Logical("||", left, and());
        }
        return left;
    }

    private Expression and() {
        Expression left = not();
        while (take("&&")) {
            left = new Expression.Logical("&&", left, not());
        }
        return left;
    }

    private Expression not() {
        skipSpaces();
        if (at < end && text.charAt(at) == '!' && !(at + 1 < end && text.charAt(at + 1) == '=')) {
            at++;
            return new Expression.Not(not());
        }
        return comparison();
    }

    private Expression comparison() {
        Expression left = primary();
        for (String operator : List.of("==", "!=", "<=", ">=", "<", ">")) {
            if (take(operator)) {
                return new Expression.Comparison(operator, left, primary());
            }
        }
        return left;
    }

    private Expression primary() {
        skipSpaces();
        if (at >= end) {
            throw new ParseException("the " + called + " ends where a value was expected", at + 1);
        }
        char c = text.charAt(at);
        if (c == '(') {
            at++;
            Expression inner = or();
            if (!take(")")) {
                throw new ParseException("a \"(\" is never closed", at + 1);
            }
            return inner;
        }
        if (c == '\'' || c == '"') {
            int close = text.indexOf(c, at + 1);
            if (close < 0 || close >= end) {
                throw new ParseException("a text that starts with " + c + " is never closed", at + 1);
            }
            String value = text.substring(at + 1, close);
            at = close + 1;
            return new Expression.Literal(value);
        }
        if (Character.isDigit(c) || c == '-') {
            int start = at++;
            while (at < end && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
                at++;
            }
            try {
                return new Expression.Literal(new BigDecimal(text.substring(start, at)));
            } catch (NumberFormatException e) {
                throw new ParseException("\"" + text.substring(start, at) + "\" is not a number", start + 1);
            }
        }
        if (Character.isLetter(c) || c == '_') {
            int start = at;
            List<String> path = new ArrayList<>();
            path.add(identifier());
            while (at < end && text.charAt(at) == '.') {
                at++;
                path.add(identifier());
            }
            if (path.size() == 1 && (path.get(0).equals("true") || path.get(0).equals("false"))) {
                return new Expression.Literal(Boolean.valueOf(path.get(0)));
            }
            return new Expression.Reference(List.copyOf(path), start + 1);
        }
        throw new ParseException("unexpected \"" + c + "\"; expected a value such as 'text', 42, true or params.name", at + 1);
    }

    private String identifier() {
        int start = at;
        while (at < end && (Character.isLetterOrDigit(text.charAt(at)) || "_-".indexOf(text.charAt(at)) >= 0)) {
            at++;
        }
        if (start == at) {
            throw new ParseException("a name is missing after \".\"", at + 1);
        }
        return text.substring(start, at);
    }

    private boolean take(String token) {
        skipSpaces();
        if (at + token.length() <= end && text.startsWith(token, at)) {
            at += token.length();
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (at < end && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }
}
