package dev.stagecoach.notifier;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Secrets a target names ({@code ${{ secrets.NAME }}}), resolved here from the notifier's own
 * environment, {@code STAGECOACH_SECRET_<NAME>}, as the scheduler resolves the secrets of
 * stages and webhooks, unless {@code stagecoach.secrets.<NAME>} gives it: the value never
 * travels on Kafka.
 */
public final class DeploymentSecrets {

    private final Map<String, String> configured;
    private final Function<String, String> environment;

    public DeploymentSecrets(Map<String, String> configured, Function<String, String> environment) {
        this.configured = Map.copyOf(configured);
        this.environment = environment;
    }

    public Optional<String> value(String name) {
        String value = configured.containsKey(name) ? configured.get(name) : environment.apply(variable(name));
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    /** Where an operator puts the secret. */
    public static String variable(String name) {
        return "STAGECOACH_SECRET_" + name;
    }
}
