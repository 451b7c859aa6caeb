package dev.stagecoach.scheduler.api.auth;

import dev.stagecoach.scheduler.StagecoachConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/** The configured tokens, read once; a malformed one stops the scheduler at start, naming the setting. */
@ApplicationScoped
public class ConfiguredTokens {

    /** The caller name of {@code stagecoach.auth.admin-token}. */
    public static final String ADMIN = "admin";

    private static final Logger LOG = Logger.getLogger(ConfiguredTokens.class);

    @Inject
    StagecoachConfig config;

    private volatile ApiTokens tokens;

    void check(@Observes StartupEvent event) {
        // Parsed here rather than at the first request, so that a wrong token or scope stops the start.
        if (config.auth().enabled() && tokens().isEmpty()) {
            LOG.warn("API auth is on and no token is configured: every API call will be refused. Set "
                    + "STAGECOACH_AUTH_ADMIN_TOKEN=<token>, or STAGECOACH_AUTH_TOKENS_<NAME>=<role>:<token> (roles: viewer, operator, admin).");
        }
    }

    public boolean enabled() {
        return config.auth().enabled();
    }

    public ApiTokens tokens() {
        if (tokens == null) {
            Map<String, String> byName = new HashMap<>(config.auth().tokens());
            config.auth().adminToken().ifPresent(token -> byName.putIfAbsent(ADMIN, "admin:" + token));
            tokens = ApiTokens.parse(byName, config.auth().scopes());
        }
        return tokens;
    }
}
