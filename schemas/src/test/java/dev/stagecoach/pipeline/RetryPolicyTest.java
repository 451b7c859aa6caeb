package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static List<Duration> delaysAfter(RetryPolicy policy, int failures) {
        return IntStream.rangeClosed(1, failures).mapToObj(policy::delayAfter).toList();
    }

    @Test
    void exponentialBackoffDoublesTheDelayAfterEachFailure() {
        RetryPolicy policy = new RetryPolicy(6, RetryPolicy.Backoff.EXPONENTIAL, Duration.ofSeconds(1), Duration.ofMinutes(10));

        assertThat(delaysAfter(policy, 5)).containsExactly(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16));
    }

    @Test
    void linearBackoffAddsTheInitialDelayAfterEachFailure() {
        RetryPolicy policy = new RetryPolicy(5, RetryPolicy.Backoff.LINEAR, Duration.ofMillis(500), Duration.ofMinutes(10));

        assertThat(delaysAfter(policy, 4)).containsExactly(
                Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofMillis(1500), Duration.ofMillis(2000));
    }

    @Test
    void fixedBackoffWaitsTheSameEveryTime() {
        RetryPolicy policy = new RetryPolicy(4, RetryPolicy.Backoff.FIXED, Duration.ofSeconds(3), Duration.ofMinutes(10));

        assertThat(delaysAfter(policy, 3)).containsOnly(Duration.ofSeconds(3));
    }

    @Test
    void everyBackoffIsCappedAtTheMaximumDelay() {
        Duration max = Duration.ofSeconds(10);

        assertThat(delaysAfter(new RetryPolicy(20, RetryPolicy.Backoff.EXPONENTIAL, Duration.ofSeconds(3), max), 5))
                .containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(6), max, max, max);
        assertThat(delaysAfter(new RetryPolicy(20, RetryPolicy.Backoff.LINEAR, Duration.ofSeconds(4), max), 4))
                .containsExactly(Duration.ofSeconds(4), Duration.ofSeconds(8), max, max);
        assertThat(new RetryPolicy(20, RetryPolicy.Backoff.FIXED, Duration.ofMinutes(1), max).delayAfter(1)).isEqualTo(max);
    }

    @Test
    void exponentialDelayDoesNotOverflowAfterManyFailures() {
        RetryPolicy policy = new RetryPolicy(20, RetryPolicy.Backoff.EXPONENTIAL, Duration.ofHours(1), Duration.ofDays(1));

        assertThat(policy.delayAfter(1_000)).isEqualTo(Duration.ofDays(1));
        assertThat(policy.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void delayBeforeAnyFailureIsAMistakeOfTheCaller() {
        assertThatThrownBy(() -> RetryPolicy.NONE.delayAfter(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failedAttempts must be at least 1, was 0");
    }

    @Test
    void attemptsStopAtMaxAttempts() {
        RetryPolicy policy = new RetryPolicy(3, RetryPolicy.Backoff.FIXED, Duration.ofSeconds(1), Duration.ofSeconds(1));

        assertThat(policy.allowsAnotherAttemptAfter(1)).isTrue();
        assertThat(policy.allowsAnotherAttemptAfter(2)).isTrue();
        assertThat(policy.allowsAnotherAttemptAfter(3)).isFalse();
        assertThat(RetryPolicy.NONE.allowsAnotherAttemptAfter(1)).isFalse();
    }

    @Test
    void jitterShortensTheWaitByItsShareOfTheCallersUnit() {
        RetryPolicy policy = new RetryPolicy(5, RetryPolicy.Backoff.EXPONENTIAL, Duration.ofSeconds(2), Duration.ofMinutes(10), 0.5);

        assertThat(policy.delayAfter(3, 0.0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.delayAfter(3, 0.5)).isEqualTo(Duration.ofSeconds(6));
        assertThat(policy.delayAfter(3, 0.999)).isEqualTo(Duration.ofMillis(4004));
        assertThat(policy.shortestDelayAfter(3)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void theSameUnitAlwaysGivesTheSameWait() {
        RetryPolicy policy = new RetryPolicy(5, RetryPolicy.Backoff.LINEAR, Duration.ofMillis(750), Duration.ofMinutes(10), 0.3);

        assertThat(policy.delayAfter(2, 0.42)).isEqualTo(policy.delayAfter(2, 0.42)).isEqualTo(Duration.ofMillis(1311));
    }

    @Test
    void withoutJitterEveryUnitGivesTheDelayOfTheBackoff() {
        RetryPolicy policy = new RetryPolicy(4, RetryPolicy.Backoff.FIXED, Duration.ofSeconds(3), Duration.ofMinutes(10));

        assertThat(policy.jitter()).isZero();
        assertThat(policy.delayAfter(1, 0.9)).isEqualTo(policy.delayAfter(1)).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.shortestDelayAfter(1)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void fullJitterMayShortenTheWaitToAlmostNothingButNotBelowZero() {
        RetryPolicy policy = new RetryPolicy(3, RetryPolicy.Backoff.FIXED, Duration.ofSeconds(10), Duration.ofSeconds(10), 1);

        assertThat(policy.delayAfter(1, 0.99)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.shortestDelayAfter(1)).isZero();
    }

    @Test
    void jitterAndUnitOutsideTheirRangesAreMistakesOfTheCaller() {
        assertThatThrownBy(() -> new RetryPolicy(3, RetryPolicy.Backoff.FIXED, Duration.ZERO, Duration.ZERO, 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("jitter must be between 0 and 1, was 1.5");
        RetryPolicy policy = new RetryPolicy(3, RetryPolicy.Backoff.FIXED, Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5);
        assertThatThrownBy(() -> policy.delayAfter(1, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unit must be at least 0 and below 1, was 1.0");
        assertThatThrownBy(() -> policy.delayAfter(1, -0.1)).isInstanceOf(IllegalArgumentException.class);
    }
}
