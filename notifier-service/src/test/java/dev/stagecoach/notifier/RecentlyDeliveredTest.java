package dev.stagecoach.notifier;

import static org.assertj.core.api.Assertions.assertThat;

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
}
