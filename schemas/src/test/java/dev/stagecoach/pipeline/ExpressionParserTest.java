package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagecoach.pipeline.expr.Expression;
import dev.stagecoach.pipeline.expr.ExpressionParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionParserTest {

    static final Map<String, String> VALUES = Map.of("params.env", "prod", "params.replicas", "3", "stages.test.status", "SUCCEEDED",
            "params.dry", "false");

    static boolean eval(String condition) {
        return ExpressionParser.parse(condition).test(path -> VALUES.get(String.join(".", path)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "params.env == 'prod'                                   ; true",
            "params.env != \"prod\"                                 ; false",
            "params.replicas > 2 && params.replicas <= 3            ; true",
            "params.replicas == 3.0                                 ; true",
            "params.replicas < 10                                   ; true",
            "!(stages.test.status == 'SUCCEEDED') || params.dry     ; false",
            "params.dry                                             ; false",
            "params.missing == 'x'                                  ; false",
            "params.missing != 'x'                                  ; true",
            "params.missing >= 3                                    ; false",
            "params.missing < 3                                     ; false",
            "params.missing > 'a'                                   ; false",
            "!(params.missing <= 3)                                 ; true",
            "true && !false                                         ; true",
            "params.env == 'dev' || params.env == 'prod' && true    ; true"})
    void conditionsEvaluateAsWritten(String condition, boolean expected) {
        assertThat(eval(condition)).isEqualTo(expected);
    }

    @Test
    void referencesAreListedWithTheirColumns() {
        List<Expression.Reference> references = ExpressionParser.parse("params.a == 'x' && stages.b.status == 'FAILED'").references();
        assertThat(references).extracting(Expression.Reference::toString).containsExactly("params.a", "stages.b.status");
        assertThat(references).extracting(Expression.Reference::column).containsExactly(1, 20);
    }

    @Test
    void brokenConditionsSayWhereAndWhat() {
        assertThatThrownBy(() -> ExpressionParser.parse("params.a == 'x")).hasMessage("a text that starts with ' is never closed");
        assertThatThrownBy(() -> ExpressionParser.parse("params.a ==")).hasMessage("the condition ends where a value was expected");
        assertThatThrownBy(() -> ExpressionParser.parse("params.a = 'x'"))
                .isInstanceOfSatisfying(ExpressionParser.ParseException.class, e -> assertThat(e.column()).isEqualTo(10));
    }
}
