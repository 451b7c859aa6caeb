package dev.stagecoach.scheduler.api.auth;

import dev.stagecoach.scheduler.StagecoachConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** The configured tokens, read once; a malformed one stops the scheduler at start, naming the setting. */
@ApplicationScoped
public class ConfiguredTokens {

    private static final Logger LOG = Logger.getLogger(ConfiguredTokens.class);

    @Inject
    StagecoachConfig config;

    private volatile ApiTokens tokens;

    void check(@Observes StartupEvent event) {
        if (config.auth().enabled() && tokens().isEmpty()) {
            LOG.warn("API auth is on and no token is configured: every API call will be refused. Set "
                    + "STAGECOACH_AUTH_TOKENS_<NAME>=<role>:<token> (roles: viewer, operator, admin).");
        }
    }

    public boolean enabled() {
        return config.auth().enabled();
    }

    public ApiTokens tokens() {
        if (tokens == null) {
            tokens = ApiTokens.parse(config.auth().tokens());
        }
        return tokens;
    }
}
