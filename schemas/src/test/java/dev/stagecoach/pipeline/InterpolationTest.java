package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagecoach.pipeline.expr.Expression;
import dev.stagecoach.pipeline.expr.ExpressionParser;
import dev.stagecoach.pipeline.expr.Interpolation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolationTest {

    static final Map<String, String> VALUES = Map.of("params.version", "1.4.2", "stages.build.outputs.image", "app:1.4.2",
            "stages.test.metrics.coverage", "87.5", "run.id", "r-42", "secrets.TOKEN", "s3cr3t");
    static final Expression.Context CONTEXT = path -> VALUES.get(String.join(".", path));

    @Test
    void literalAndExpressionSegmentsAlternateAsWritten() {
        Interpolation text = Interpolation.parse("app-${{ params.version }}.tar.gz");

        assertThat(text.segments()).hasSize(3);
        assertThat(text.segments().get(0)).isEqualTo(new Interpolation.Literal("app-"));
        assertThat(text.segments().get(1)).isInstanceOfSatisfying(Interpolation.Embedded.class, e -> assertThat(e.column()).isEqualTo(5));
        assertThat(text.segments().get(2)).isEqualTo(new Interpolation.Literal(".tar.gz"));
        assertThat(text.hasExpressions()).isTrue();
    }

    @Test
    void renderingReplacesEachExpressionByItsValue() {
        assertThat(Interpolation.parse("${{ stages.build.outputs.image }} from run ${{run.id}}").render(CONTEXT))
                .isEqualTo("app:1.4.2 from run r-42");
        assertThat(Interpolation.parse("Bearer ${{ secrets.TOKEN }}").render(CONTEXT)).isEqualTo("Bearer s3cr3t");
    }

    @Test
    void anExpressionMayCompareAndANameWithoutValueRendersAsEmptyText() {
        assertThat(Interpolation.parse("good=${{ stages.test.metrics.coverage >= 80 }}").render(CONTEXT)).isEqualTo("good=true");
        assertThat(Interpolation.parse("[${{ params.missing }}]").render(CONTEXT)).isEqualTo("[]");
        assertThat(Interpolation.parse("${{ 42.50 }}").render(CONTEXT)).isEqualTo("42.5");
    }

    @Test
    void aTextWithoutExpressionsIsOneLiteral() {
        Interpolation text = Interpolation.parse("plain $HOME and {{ braces }}");

        assertThat(text.segments()).containsExactly(new Interpolation.Literal("plain $HOME and {{ braces }}"));
        assertThat(text.hasExpressions()).isFalse();
        assertThat(text.render(CONTEXT)).isEqualTo("plain $HOME and {{ braces }}");
        assertThat(Interpolation.parse("").segments()).isEmpty();
    }

    @Test
    void aQuotedTextMayHoldTheMarkersThemselves() {
        assertThat(Interpolation.parse("${{ '${{' }} and ${{ \"}}\" }}").render(CONTEXT)).isEqualTo("${{ and }}");
    }

    @Test
    void referencesCarryTheirColumnInTheWholeText() {
        List<Expression.Reference> references =
                Interpolation.parse("v${{ params.version }}-${{ stages.build.outputs.image == run.id }}").references();

        assertThat(references).extracting(Expression.Reference::toString)
                .containsExactly("params.version", "stages.build.outputs.image", "run.id");
        assertThat(references).extracting(Expression.Reference::column).containsExactly(6, 28, 58);
    }

    @Test
    void brokenInterpolationsSayWhereInTheText() {
        assertThatThrownBy(() -> Interpolation.parse("v${{ params.version"))
                .isInstanceOfSatisfying(ExpressionParser.ParseException.class, e -> assertThat(e.column()).isEqualTo(2))
                .hasMessage("a \"${{\" is never closed with \"}}\"");
        assertThatThrownBy(() -> Interpolation.parse("a ${{   }} b"))
                .isInstanceOfSatisfying(ExpressionParser.ParseException.class, e -> assertThat(e.column()).isEqualTo(3))
                .hasMessage("an empty \"${{ }}\"; put an expression inside, e.g. ${{ params.version }}");
        assertThatThrownBy(() -> Interpolation.parse("ok ${{ params.a }} ${{ params.b = 'x' }}"))
                .isInstanceOfSatisfying(ExpressionParser.ParseException.class, e -> assertThat(e.column()).isEqualTo(33))
                .hasMessage("unexpected \"= 'x'\"");
        assertThatThrownBy(() -> Interpolation.parse("${{ 'open }}"))
                .hasMessage("a text that starts with ' is never closed");
    }
}
