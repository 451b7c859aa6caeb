package dev.stagecoach.testkit;

import java.util.Locale;

/** Which Kafka the shared test broker is: chosen by {@value #PROPERTY}, as a system property or env variable. */
enum KafkaMode {
    EMBEDDED,
    TESTCONTAINERS;

    static final String PROPERTY = "STAGECOACH_TEST_KAFKA";

    static KafkaMode current() {
        return parse(System.getProperty(PROPERTY, System.getenv(PROPERTY)));
    }

    static KafkaMode parse(String value) {
        if (value == null || value.isBlank()) {
            return EMBEDDED;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "embedded" -> EMBEDDED;
            case "testcontainers" -> TESTCONTAINERS;
            default -> throw new IllegalArgumentException(
                    PROPERTY + " must be 'embedded' or 'testcontainers', not '" + value + "'");
        };
    }
}
