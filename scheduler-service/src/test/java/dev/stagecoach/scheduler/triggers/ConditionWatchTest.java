package dev.stagecoach.scheduler.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.pipeline.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionWatchTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Trigger.Conditional QUEUE_HIGH_FOR_A_MINUTE =
            new Trigger.Conditional("queue.depth", ">", 100, Duration.ofMinutes(1));

    @Test
    void firesOnceTheComparisonHeldForTheWholeHoldByTheSamplesTimes() {
        assertThat(fires(QUEUE_HIGH_FOR_A_MINUTE, sample(0, 150), sample(30, 160), sample(59, 170), sample(60, 170), sample(90, 180)))
                .containsExactly(60);
    }

    @Test
    void firesAgainOnlyAfterTheComparisonStoppedHolding() {
        assertThat(fires(QUEUE_HIGH_FOR_A_MINUTE,
                sample(0, 150), sample(60, 150), sample(120, 150), // fired at 60, still holding
                sample(150, 100),                                  // 100 is not > 100: re-armed
                sample(180, 150), sample(240, 150)))
                .containsExactly(60, 240);
    }

    @Test
    void aBrokenHoldStartsCountingAgain() {
        assertThat(fires(QUEUE_HIGH_FOR_A_MINUTE, sample(0, 150), sample(50, 90), sample(55, 150), sample(100, 150), sample(115, 150)))
                .containsExactly(115);
    }

    @Test
    void zeroHoldFiresAtTheFirstSampleThatCrosses() {
        Trigger.Conditional atOnce = new Trigger.Conditional("error_rate", ">=", 0.05, Duration.ZERO);
        assertThat(fires(atOnce, sample(0, 0.01), sample(10, 0.05), sample(20, 0.2), sample(30, 0.0), sample(40, 0.07)))
                .containsExactly(10, 40);
    }

    @Test
    void withoutSamplesNothingIsKnownSoNothingFires() {
        ConditionWatch.Step first = ConditionWatch.observe(QUEUE_HIGH_FOR_A_MINUTE, null, 150, T0);
        assertThat(first).isEqualTo(new ConditionWatch.Step(new ConditionWatch.Holding(T0, false), false));
    }

    @Test
    void runIdAndRequesterNameTheTriggerAndTheFiringSample() {
        assertThat(ConditionWatch.requestedBy(new Trigger.Conditional("http.error_rate", ">", 0.05, Duration.ofMinutes(5))))
                .isEqualTo("metric:http.error_rate > 0.05");
        assertThat(ConditionWatch.requestedBy(QUEUE_HIGH_FOR_A_MINUTE)).isEqualTo("metric:queue.depth > 100");
        assertThat(ConditionWatch.runId("p", QUEUE_HIGH_FOR_A_MINUTE, T0)).isEqualTo(ConditionWatch.runId("p", QUEUE_HIGH_FOR_A_MINUTE, T0))
                .isNotEqualTo(ConditionWatch.runId("p", QUEUE_HIGH_FOR_A_MINUTE, T0.plusSeconds(1)))
                .isNotEqualTo(ConditionWatch.runId("p", new Trigger.Conditional("queue.depth", ">", 100, Duration.ofMinutes(2)), T0));
    }

    private record Sample(int second, double value) {
    }

    private static Sample sample(int second, double value) {
        return new Sample(second, value);
    }

    /** The seconds of the samples at which the trigger fired. */
    private static List<Integer> fires(Trigger.Conditional trigger, Sample... samples) {
        List<Integer> fired = new ArrayList<>();
        ConditionWatch.Holding holding = null;
        for (Sample sample : samples) {
            ConditionWatch.Step step = ConditionWatch.observe(trigger, holding, sample.value(), T0.plusSeconds(sample.second()));
            holding = step.holding();
            if (step.fire()) {
                fired.add(sample.second());
            }
        }
        return fired;
    }
}
