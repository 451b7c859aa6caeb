package dev.stagecoach.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentlyDeliveredTest {

    @Test
    void remembersWhatWasDelivered() {
        RecentlyDelivered delivered = new RecentlyDelivered(10);
        delivered.add("run-1:on_success:0");

        assertThat(delivered.contains("run-1:on_success:0")).isTrue();
        assertThat(delivered.contains("run-1:on_failure:0")).isFalse();
    }

    @Test
    void forgetsTheLeastRecentlySeenIdWhenFull() {
        RecentlyDelivered delivered = new RecentlyDelivered(2);
        delivered.add("a");
        delivered.add("b");
        delivered.contains("a");
        delivered.add("c");

        assertThat(delivered.contains("a")).isTrue();
        assertThat(delivered.contains("b")).isFalse();
        assertThat(delivered.contains("c")).isTrue();
        assertThat(delivered.size()).isEqualTo(2);
    }

    @Test
    void aDeliveryBegunIsUnfinishedUntilItIsDeliveredOrCleared() {
        RecentlyDelivered memory = new RecentlyDelivered(10);
        Instant first = Instant.parse("2026-12-01T10:00:00Z");
        memory.begun("a", first);
        memory.begun("a", first.plusSeconds(5));
        memory.begun("b", first);
        memory.add("c");
        memory.begun("c", first);

        assertThat(memory.unfinishedSince("a")).contains(first);
        assertThat(memory.unfinishedSince("c")).as("delivered is never unfinished").isEmpty();
        memory.add("a");
        memory.cleared("b");

        assertThat(memory.unfinishedSince("a")).isEmpty();
        assertThat(memory.unfinishedSince("b")).isEmpty();
        assertThat(memory.unfinished()).isZero();
    }
}
