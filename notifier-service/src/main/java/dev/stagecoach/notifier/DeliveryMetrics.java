package dev.stagecoach.notifier;

import dev.stagecoach.events.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * Counters by channel, for /q/metrics: delivered, retried, duplicate and dead-lettered
 * notifications, and resumed ones: begun by a notifier that was killed under way.
 */
public final class DeliveryMetrics {

    static final String DELIVERED = "stagecoach.notifications.delivered";
    static final String RETRIES = "stagecoach.notifications.retries";
    static final String DUPLICATES = "stagecoach.notifications.duplicates";
    static final String DEAD_LETTERED = "stagecoach.notifications.dead.lettered";
    static final String RESUMED = "stagecoach.notifications.resumed";
    /** The channel tag of records that are not notifications at all. */
    static final String UNREADABLE = "unreadable";

    private final MeterRegistry registry;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void delivered(Channel channel) {
        count(DELIVERED, tag(channel));
    }

    void retried(Channel channel) {
        count(RETRIES, tag(channel));
    }

    void duplicate(Channel channel) {
        count(DUPLICATES, tag(channel));
    }

    void resumed(Channel channel) {
        count(RESUMED, tag(channel));
    }

    void deadLettered(Channel channel) {
        count(DEAD_LETTERED, tag(channel));
    }

    void deadLetteredUnreadable() {
        count(DEAD_LETTERED, UNREADABLE);
    }

    static String tag(Channel channel) {
        return channel == null ? Channel.UNKNOWN.name().toLowerCase(Locale.ROOT) : channel.name().toLowerCase(Locale.ROOT);
    }

    private void count(String name, String channel) {
        registry.counter(name, "channel", channel).increment();
    }
}
