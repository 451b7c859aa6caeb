package dev.stagecoach.scheduler.topics;

import dev.stagecoach.scheduler.StagecoachConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The scheduler's one {@link CommandTopics}, laid out as {@code stagecoach.topics.*} says. */
@Singleton
public class CommandTopicsProducer {

    @Produces
    @Singleton
    CommandTopics commandTopics(StagecoachConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        StagecoachConfig.TopicSettings settings = config.topicSettings();
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "stagecoach-scheduler-topics"));
        return new CommandTopics(admin, config.topics(), settings.commandPartitions(), settings.replicationFactor(),
                settings.minInsyncReplicas());
    }

    void close(@Disposes CommandTopics commandTopics) {
        commandTopics.close();
    }
}
