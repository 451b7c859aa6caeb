package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "30s, PT30S",
        "5m, PT5M",
        "1h30m, PT1H30M",
        "2d, PT48H",
        "1d2h3m4s5ms, PT26H3M4.005S",
        "0s, PT0S",
    })
    void textParsesToTheDurationAndFormatsBackToTheSameText(String text, Duration duration) {
        assertThat(Durations.parse(text)).isEqualTo(duration);
        assertThat(Durations.format(duration)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({
        "90m, 1h30m",
        "1000ms, 1s",
        "48h, 2d",
        "' 5m ', 5m",
        "1m1m, 2m",
    })
    void formatWritesTheShortestEquivalentText(String text, String shortest) {
        assertThat(Durations.format(Durations.parse(text))).isEqualTo(shortest);
        assertThat(Durations.parse(shortest)).isEqualTo(Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "5", "5x", "m5", "5 m", "-5m", "1.5h", "1h 30m", "5M", "ms"})
    void textThatIsNotADurationIsRefusedWithAnExample(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is not a duration; write a number and a unit, e.g. 500ms, 30s, 5m, 1h30m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807d", "99999999999999999999s", "106751991167300d106751991167300d"})
    void durationTooLongForJavaIsRefusedAsTooLongNotWithAnOverflow(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is too long a duration");
    }
}
