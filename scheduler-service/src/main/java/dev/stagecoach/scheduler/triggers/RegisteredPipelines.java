package dev.stagecoach.scheduler.triggers;

import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.Trigger;
import dev.stagecoach.scheduler.api.EngineStores;
import dev.stagecoach.scheduler.pipelines.PipelineRevisions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The registered pipelines with their definitions loaded, for the triggers that look at all of
 * them every tick or refresh. A definition is loaded once per revision, in {@link PipelineRevisions}.
 */
@ApplicationScoped
public class RegisteredPipelines {

    private static final Logger LOG = Logger.getLogger(RegisteredPipelines.class);

    /** A registered revision of a pipeline. */
    public record Registered(String name, int revision, Instant registeredAt, PipelineDefinition definition) {

        public <T extends Trigger> List<T> triggers(Class<T> kind) {
            return definition.triggers().stream().filter(kind::isInstance).map(kind::cast).toList();
        }
    }

    @Inject
    EngineStores stores;
    @Inject
    PipelineRevisions revisions;

    /** @throws dev.stagecoach.scheduler.api.EngineNotReadyException while the engine's stores cannot be read */
    public List<Registered> all() {
        List<Registered> all = new ArrayList<>();
        for (PipelineRegistered pipeline : stores.pipelines()) {
            Registered registered = load(pipeline);
            if (registered != null) {
                all.add(registered);
            }
        }
        return all;
    }

    private Registered load(PipelineRegistered pipeline) {
        try {
            return new Registered(pipeline.getName(), pipeline.getRevision(), pipeline.getRegisteredAt(),
                    revisions.declared(pipeline.getName(), pipeline.getRevision(), pipeline.getYaml()));
        } catch (RuntimeException e) {
            // Registered by an older scheduler whose loader accepted it; its triggers cannot be read, so none act.
            LOG.warnf("pipeline %s revision %d does not load, its triggers are ignored: %s",
                    pipeline.getName(), pipeline.getRevision(), e.getMessage());
            return null;
        }
    }
}
