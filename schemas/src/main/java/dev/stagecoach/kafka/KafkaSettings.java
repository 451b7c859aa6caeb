package dev.stagecoach.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka client settings of a service: every configuration key under {@code kafka.}
 * (bootstrap servers, security protocol, SASL mechanism and JAAS config, trust and key stores),
 * so that the hand-built clients reach the same cluster, the same way, as the SmallRye channels
 * and Kafka Streams, which Quarkus gives the same keys.
 */
public final class KafkaSettings {

    public static final String PREFIX = "kafka.";
    private static final String ENV_PREFIX = "KAFKA_";
    // An environment variable may belong to anything (KAFKA_HOME, KAFKA_OPTS): only the names
    // of real client settings are taken from there.
    private static final Set<String> CLIENT_KEYS = clientKeys();

    private KafkaSettings() {
    }

    /**
     * The client settings among a configuration's keys, the prefix stripped.
     *
     * @param names every key the configuration has; environment variables appear as such ({@code KAFKA_SECURITY_PROTOCOL})
     * @param lookup the value of a dotted key, wherever it comes from (Quarkus finds {@code kafka.security.protocol}
     *               in {@code KAFKA_SECURITY_PROTOCOL} too)
     */
    public static Map<String, Object> fromConfig(Iterable<String> names, Function<String, Optional<String>> lookup) {
        Map<String, Object> settings = new TreeMap<>();
        for (String name : names) {
            String key = clientKey(name);
            if (key != null && !settings.containsKey(key)) {
                lookup.apply(PREFIX + key).ifPresent(value -> settings.put(key, value));
            }
        }
        return settings;
    }

    private static String clientKey(String name) {
        if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
            return name.substring(PREFIX.length());
        }
        if (name.startsWith(ENV_PREFIX)) {
            String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            return CLIENT_KEYS.contains(key) ? key : null;
        }
        return null;
    }

    /** A Kafka client properties file, the kind {@code kafka-console-consumer --consumer.config} reads. */
    public static Map<String, String> load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kafka client properties file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> settings = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key).strip()));
        return settings;
    }

    /**
     * The environment variables that give a Quarkus service these settings
     * ({@code security.protocol} → {@code KAFKA_SECURITY_PROTOCOL}): the environment rather than
     * {@code -D} options, because a command line, passwords and all, is visible to every local user.
     */
    public static Map<String, String> asEnvironment(Map<String, ?> settings) {
        Map<String, String> environment = new LinkedHashMap<>();
        settings.forEach((key, value) -> environment.put(
                ENV_PREFIX + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), String.valueOf(value)));
        return environment;
    }

    private static Set<String> clientKeys() {
        Set<String> keys = new HashSet<>(ProducerConfig.configNames());
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        return Set.copyOf(keys);
    }
}
