package dev.stagecoach.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final Duration THIRTY_SECONDS = Duration.ofSeconds(30);

    private final ExponentialBackoff withoutJitter = new ExponentialBackoff(ONE_SECOND, THIRTY_SECONDS, () -> 1.0);

    @Test
    void waitDoublesAfterEveryFailedAttempt() {
        assertThat(withoutJitter.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(withoutJitter.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(withoutJitter.delayAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(withoutJitter.delayAfter(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(withoutJitter.delayAfter(5)).isEqualTo(Duration.ofSeconds(16));
    }

    @Test
    void waitStopsGrowingAtTheMaximum() {
        assertThat(withoutJitter.delayAfter(6)).isEqualTo(THIRTY_SECONDS);
        assertThat(withoutJitter.delayAfter(7)).isEqualTo(THIRTY_SECONDS);
    }

    @Test
    void manyFailedAttemptsDoNotOverflowIntoANegativeWait() {
        assertThat(withoutJitter.delayAfter(1_000)).isEqualTo(THIRTY_SECONDS);
        assertThat(withoutJitter.delayAfter(Integer.MAX_VALUE)).isEqualTo(THIRTY_SECONDS);
    }

    @Test
    void jitterKeepsBetweenHalfAndAllOfTheWait() {
        ExponentialBackoff lowest = new ExponentialBackoff(ONE_SECOND, THIRTY_SECONDS, () -> 0.0);
        ExponentialBackoff middle = new ExponentialBackoff(ONE_SECOND, THIRTY_SECONDS, () -> 0.5);

        assertThat(lowest.delayAfter(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(middle.delayAfter(3)).isEqualTo(Duration.ofSeconds(3));
        assertThat(lowest.delayAfter(10)).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void retryAfterLongerThanTheOwnWaitIsHonoured() {
        assertThat(withoutJitter.delayAfter(1, Optional.of(Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void retryAfterShorterThanTheOwnWaitDoesNotShortenIt() {
        assertThat(withoutJitter.delayAfter(4, Optional.of(Duration.ZERO))).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void retryAfterIsCappedAtTheMaximum() {
        assertThat(withoutJitter.delayAfter(1, Optional.of(Duration.ofHours(2)))).isEqualTo(THIRTY_SECONDS);
    }

    @Test
    void settingsThatCannotWorkAreRefusedWithTheValuesFound() {
        assertThatThrownBy(() -> new ExponentialBackoff(Duration.ZERO, THIRTY_SECONDS, () -> 1.0))
                .hasMessage("initial back-off must be positive, was PT0S");
        assertThatThrownBy(() -> new ExponentialBackoff(THIRTY_SECONDS, ONE_SECOND, () -> 1.0))
                .hasMessage("max back-off PT1S is shorter than the initial back-off PT30S");
        assertThatThrownBy(() -> withoutJitter.delayAfter(0))
                .hasMessage("failed attempts start at 1, was 0");
    }
}
