package dev.stagecoach.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {

    @Test
    void aCallerBeyondTheLimitGetsItsTurnWhenASlotIsReleased() {
        InFlightLimit limit = new InFlightLimit(2);
        CompletableFuture<Void> first = limit.acquire().toCompletableFuture();
        CompletableFuture<Void> second = limit.acquire().toCompletableFuture();
        CompletableFuture<Void> third = limit.acquire().toCompletableFuture();

        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(third).isNotDone();

        limit.release();

        assertThat(third).isDone();
        assertThat(limit.taken()).isEqualTo(2);
    }

    @Test
    void releasedSlotsAreFreeAgain() {
        InFlightLimit limit = new InFlightLimit(1);
        limit.acquire();
        limit.release();

        assertThat(limit.taken()).isZero();
        assertThat(limit.acquire().toCompletableFuture()).isDone();
    }
}
