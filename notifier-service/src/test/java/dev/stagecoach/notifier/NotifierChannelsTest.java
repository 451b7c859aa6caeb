package dev.stagecoach.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.Notification;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The notifier reads its notifications through a SmallRye channel, which only its properties
 * configure: it must name the topic of {@link Topics} and the serdes of its {@link Topic}, or
 * the notifier would read another format than the engine writes.
 */
class NotifierChannelsTest {

    private static final String CHANNEL = "mp.messaging.incoming.notifications.";

    @Test
    void notificationsAreReadFromTheirTopicWithItsSerdesAndDeadLetteredToTheDeadLetterTopic() throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(getClass().getResource("/application.properties"))).build();
        Topics topics = new Topics(config.getValue("stagecoach.topic-prefix", String.class));
        Topic<Notification> notifications = topics.notifications();

        assertThat(config.getValue(CHANNEL + "topic", String.class)).isEqualTo(notifications.name());
        assertThat(config.getValue(CHANNEL + "key.deserializer", String.class))
                .isEqualTo(notifications.keySerde().deserializer().getClass().getName());
        assertThat(config.getValue(CHANNEL + "value.deserializer", String.class))
                .isEqualTo(notifications.valueSerde().deserializer().getClass().getName());
        assertThat(config.getValue(CHANNEL + "dead-letter-queue.topic", String.class)).isEqualTo(topics.deadLetters().name());
        assertThat(config.getValue(CHANNEL + "dead-letter-queue.key.serializer", String.class))
                .isEqualTo(topics.deadLetters().keySerde().serializer().getClass().getName());
        // A notification given up is written back as it was read, so in the notifications topic's format.
        assertThat(config.getValue(CHANNEL + "dead-letter-queue.value.serializer", String.class))
                .isEqualTo(notifications.valueSerde().serializer().getClass().getName());
    }
}
