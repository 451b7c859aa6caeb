package dev.stagecoach.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {

    @Test
    void everyKeyUnderKafkaBecomesAClientSettingWithoutThePrefix() {
        Map<String, String> config = Map.of(
                "kafka.bootstrap.servers", "broker:9093",
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"p\";",
                "kafka-streams.poll.ms", "1",
                "stagecoach.topic-prefix", "x.");

        assertThat(KafkaSettings.fromConfig(config.keySet(), key -> Optional.ofNullable(config.get(key))))
                .containsOnly(
                        Map.entry("bootstrap.servers", "broker:9093"),
                        Map.entry("security.protocol", "SASL_SSL"),
                        Map.entry("sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"p\";"));
    }

    @Test
    void environmentVariablesNamingClientSettingsAreReadThroughTheirDottedKey() {
        // What Quarkus does: the lookup of kafka.sasl.mechanism finds KAFKA_SASL_MECHANISM.
        Map<String, String> resolved = Map.of("kafka.sasl.mechanism", "SCRAM-SHA-512", "kafka.ssl.truststore.location", "/t.p12");
        List<String> names = List.of("KAFKA_SASL_MECHANISM", "KAFKA_SSL_TRUSTSTORE_LOCATION", "KAFKA_HOME", "KAFKA_OPTS");

        assertThat(KafkaSettings.fromConfig(names, key -> Optional.ofNullable(resolved.get(key))))
                .containsOnly(Map.entry("sasl.mechanism", "SCRAM-SHA-512"), Map.entry("ssl.truststore.location", "/t.p12"));
    }

    @Test
    void settingsTravelAsTheEnvironmentVariablesQuarkusReadsThemFrom() {
        assertThat(KafkaSettings.asEnvironment(Map.of("sasl.jaas.config", "x", "ssl.truststore.password", "y")))
                .containsOnly(Map.entry("KAFKA_SASL_JAAS_CONFIG", "x"), Map.entry("KAFKA_SSL_TRUSTSTORE_PASSWORD", "y"));
    }

    @Test
    void aClientPropertiesFileIsReadAsKafkaToolsReadIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, """
                # as for kafka-console-consumer --consumer.config
                bootstrap.servers=broker:9093
                security.protocol=SASL_SSL
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                    username="stagecoach" password="s3cret";
                """);

        assertThat(KafkaSettings.load(file)).containsOnly(
                Map.entry("bootstrap.servers", "broker:9093"),
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"stagecoach\" password=\"s3cret\";"));
    }
}
