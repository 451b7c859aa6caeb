package dev.stagecoach.scheduler;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * The scheduler's own secrets, the signing secrets of webhook triggers: the environment variable
 * {@code STAGECOACH_SECRET_<NAME>}, unless {@code stagecoach.secrets.<NAME>} names it, which
 * lets tests and development supply secrets without touching the environment. The keys that
 * seal parameters ({@code stagecoach.secrets.key}, {@code previous-keys}) are not secrets of
 * this kind and are never given out as such.
 */
@ApplicationScoped
public class DeploymentSecrets implements SecretSource {

    private static final String VARIABLE_PREFIX = "STAGECOACH_SECRET_";
    private static final Set<String> RESERVED = Set.of("key", "previous-keys");

    @Inject
    StagecoachConfig config;

    @Override
    public String value(String name) {
        if (RESERVED.contains(name)) {
            return null;
        }
        String configured = config.secrets().get(name);
        return configured != null ? configured : System.getenv(variable(name));
    }

    /** The environment variable that holds secret {@code name}, for messages that tell an operator what to set. */
    public static String variable(String name) {
        return VARIABLE_PREFIX + name;
    }
}
