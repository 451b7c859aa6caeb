package dev.stagecoach.scheduler;

import dev.stagecoach.kafka.KafkaSettings;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.eclipse.microprofile.config.Config;

/**
 * Where the scheduler's hand-built Kafka clients (the API's producer, the event triggers'
 * consumer, the topic admin) get their settings: every {@code kafka.*} key, as the engine's
 * Kafka Streams and any channel get them from Quarkus, so a cluster that needs TLS or SASL
 * takes one set of keys (or {@code KAFKA_*} variables) for all of them.
 */
@Singleton
public class KafkaClients {

    @Inject
    Config config;

    /** Every {@code kafka.*} setting, with {@code client.id} set to {@code clientId}; the caller adds its own. */
    public Map<String, Object> settings(String clientId) {
        Map<String, Object> settings = new HashMap<>(KafkaSettings.fromConfig(config.getPropertyNames(),
                key -> config.getOptionalValue(key, String.class)));
        settings.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return settings;
    }
}
