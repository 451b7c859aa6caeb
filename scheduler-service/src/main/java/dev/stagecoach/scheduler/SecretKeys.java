package dev.stagecoach.scheduler;

import dev.stagecoach.secrets.SecretKeyRing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The keys that seal secret run parameters where runs enter. A key that cannot be used stops
 * the service at start, naming the setting; no key at all leaves it running, refusing only the
 * runs given a secret parameter.
 */
@ApplicationScoped
public class SecretKeys {

    private static final Logger LOG = Logger.getLogger(SecretKeys.class);

    @ConfigProperty(name = SecretKeyRing.KEY_SETTING)
    Optional<String> key;
    @ConfigProperty(name = SecretKeyRing.PREVIOUS_KEYS_SETTING)
    Optional<String> previousKeys;

    @Produces
    @ApplicationScoped
    SecretKeyRing ring() {
        SecretKeyRing ring = SecretKeyRing.of(key, previousKeys);
        if (ring.canSeal()) {
            LOG.infof("secret parameters are sealed with key %s", ring.currentId().orElseThrow());
        } else {
            LOG.warnf("no %s (%s): runs given a secret parameter are refused", SecretKeyRing.KEY_SETTING, SecretKeyRing.KEY_VARIABLE);
        }
        return ring;
    }
}
