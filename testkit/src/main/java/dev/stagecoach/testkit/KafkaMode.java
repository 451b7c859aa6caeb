package dev.stagecoach.testkit;

import java.util.Locale;

/**
 * Which Kafka the tests run against, chosen by {@value #PROPERTY} (a system property or an
 * environment variable): {@code embedded} (the default), {@code testcontainers}, or
 * {@code sasl_ssl}, an embedded broker whose only client listener requires SASL_SSL with
 * SCRAM-SHA-512. The end-to-end tests honour {@code sasl_ssl}; the services' own tests share a
 * plaintext embedded broker then, as their point is the service, not the cluster's security.
 */
public enum KafkaMode {
    EMBEDDED,
    TESTCONTAINERS,
    SASL_SSL;

    public static final String PROPERTY = "STAGECOACH_TEST_KAFKA";

    public static KafkaMode current() {
        return parse(System.getProperty(PROPERTY, System.getenv(PROPERTY)));
    }

    static KafkaMode parse(String value) {
        if (value == null || value.isBlank()) {
            return EMBEDDED;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "embedded" -> EMBEDDED;
            case "testcontainers" -> TESTCONTAINERS;
            case "sasl_ssl" -> SASL_SSL;
            default -> throw new IllegalArgumentException(
                    PROPERTY + " must be 'embedded', 'testcontainers' or 'sasl_ssl', not '" + value + "'");
        };
    }
}
