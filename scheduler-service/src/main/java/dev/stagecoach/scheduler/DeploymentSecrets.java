package dev.stagecoach.scheduler;

import dev.stagecoach.scheduler.engine.SecretSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The secrets of this deployment, one source for the engine ({@code secrets.<NAME>} in stage
 * env values) and for webhook signatures: the environment variable
 * {@code STAGECOACH_SECRET_<NAME>}, unless {@code stagecoach.secrets.<NAME>} names it, which
 * lets tests and development supply secrets without touching the environment.
 */
@ApplicationScoped
public class DeploymentSecrets implements SecretSource {

    private static final String VARIABLE_PREFIX = "STAGECOACH_SECRET_";

    @Inject
    StagecoachConfig config;

    @Override
    public String value(String name) {
        String configured = config.secrets().get(name);
        return configured != null ? configured : System.getenv(variable(name));
    }

    /** The environment variable that holds secret {@code name}, for messages that tell an operator what to set. */
    public static String variable(String name) {
        return VARIABLE_PREFIX + name;
    }
}
