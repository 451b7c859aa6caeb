package dev.stagecoach.pipeline.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * A text with expressions embedded as {@code ${{ expression }}}, such as an {@code env} or
 * {@code with} value: {@code "app-${{ params.version }}.tar.gz"}. The engine renders it
 * when the stage starts; the result is handed to the stage as a value, never spliced into
 * shell text, which is why {@code run} scripts are not interpolated.
 *
 * <p>There is no escape for a literal <code>${{</code>: write it as an expression,
 * <code>${{ '${{' }}</code>.
 */
public record Interpolation(List<Segment> segments) {

    public static final String OPEN = "${{";
    public static final String CLOSE = "}}";

    public sealed interface Segment {
    }

    public record Literal(String text) implements Segment {
    }

    /** @param column where its <code>${{</code> starts in the text, from 1 */
    public record Embedded(Expression expression, int column) implements Segment {
    }

    public Interpolation {
        segments = List.copyOf(segments);
    }

    /**
     * @throws ExpressionParser.ParseException with the 1-based column in {@code text} where it went wrong
     */
    public static Interpolation parse(String text) {
        List<Segment> segments = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf(OPEN, at);
            if (open < 0) {
                segments.add(new Literal(text.substring(at)));
                break;
            }
            if (open > at) {
                segments.add(new Literal(text.substring(at, open)));
            }
            int inside = open + OPEN.length();
            int close = closing(text, inside);
            if (close < 0) {
                throw new ExpressionParser.ParseException("a \"" + OPEN + "\" is never closed with \"" + CLOSE + "\"", open + 1);
            }
            if (text.substring(inside, close).isBlank()) {
                throw new ExpressionParser.ParseException("an empty \"" + OPEN + " " + CLOSE
                        + "\"; put an expression inside, e.g. ${{ params.version }}", open + 1);
            }
            segments.add(new Embedded(ExpressionParser.parse(text, inside, close), open + 1));
            at = close + CLOSE.length();
        }
        return new Interpolation(segments);
    }

    /** The 1-based column of the first <code>${{</code> in {@code text}, or 0 when there is none. */
    public static int firstOpening(String text) {
        return text.indexOf(OPEN) + 1;
    }

    /** The first <code>}}</code> after {@code from} that is not inside a quoted text, or -1. */
    private static int closing(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int quoteEnd = text.indexOf(c, i + 1);
                if (quoteEnd < 0) {
                    // The expression parser reports the unclosed quote, with its column.
                    return text.indexOf(CLOSE, from);
                }
                i = quoteEnd;
            } else if (text.startsWith(CLOSE, i)) {
                return i;
            }
        }
        return -1;
    }

    public boolean hasExpressions() {
        return segments.stream().anyMatch(Embedded.class::isInstance);
    }

    public List<Expression.Reference> references() {
        return segments.stream().filter(Embedded.class::isInstance)
                .flatMap(s -> ((Embedded) s).expression().references().stream()).toList();
    }

    /** The text with every expression replaced by its value; a name with no value gives empty text. */
    public String render(Expression.Context context) {
        StringBuilder out = new StringBuilder();
        for (Segment segment : segments) {
            if (segment instanceof Literal literal) {
                out.append(literal.text());
            } else if (segment instanceof Embedded embedded) {
                String value = Expression.text(embedded.expression().evaluate(context));
                out.append(value == null ? "" : value);
            }
        }
        return out.toString();
    }
}
