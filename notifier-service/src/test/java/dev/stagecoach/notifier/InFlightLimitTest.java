package dev.stagecoach.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    @Test
    void drainingWaitsForTheSlotsTakenAndHandsOutNoMore() throws Exception {
        InFlightLimit limit = new InFlightLimit(2);
        limit.acquire();
        limit.acquire();
        CompletableFuture<Void> waiting = limit.acquire().toCompletableFuture();
        CompletableFuture<Integer> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return limit.drain(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(limit::draining);

        limit.release();
        assertThat(drained).isNotDone();
        limit.release();

        assertThat(drained.get(10, TimeUnit.SECONDS)).isZero();
        // The caller that waited for a slot keeps waiting: its notification stays in Kafka for the next start.
        assertThat(waiting).isNotDone();
        assertThat(limit.acquire().toCompletableFuture()).isNotDone();
    }

    @Test
    void drainingStopsWaitingAfterItsTimeAndSaysHowManyAreStillUnderWay() throws Exception {
        InFlightLimit limit = new InFlightLimit(3);
        limit.acquire();
        limit.acquire();

        assertThat(limit.drain(Duration.ofMillis(50))).isEqualTo(2);
    }
}
