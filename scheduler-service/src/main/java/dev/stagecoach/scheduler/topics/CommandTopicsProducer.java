package dev.stagecoach.scheduler.topics;

import dev.stagecoach.scheduler.KafkaClients;
import dev.stagecoach.scheduler.StagecoachConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;

/** The scheduler's one {@link CommandTopics}, laid out as {@code stagecoach.topics.*} says. */
@Singleton
public class CommandTopicsProducer {

    @Produces
    @Singleton
    CommandTopics commandTopics(StagecoachConfig config, KafkaClients kafka) {
        StagecoachConfig.TopicSettings settings = config.topicSettings();
        Admin admin = Admin.create(kafka.settings("stagecoach-scheduler-topics"));
        return new CommandTopics(admin, config.topics(), settings.commandPartitions(), settings.replicationFactor(),
                settings.minInsyncReplicas());
    }

    void close(@Disposes CommandTopics commandTopics) {
        commandTopics.close();
    }
}
