package dev.stagecoach.scheduler.topics;

import dev.stagecoach.scheduler.KafkaClients;
import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.scheduler.pipelines.PipelineRevisions;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.SortedSet;
import org.jboss.logging.Logger;

/**
 * At start, creates the commands topics of the pools of pipelines registered before
 * registration created them (or whose topic was deleted since), so their runs can dispatch.
 */
@ApplicationScoped
public class PoolTopicsAtStart {

    private static final Logger LOG = Logger.getLogger(PoolTopicsAtStart.class);
    private static final Duration READ_WITHIN = Duration.ofSeconds(30);

    @Inject
    CommandTopics commandTopics;
    @Inject
    StagecoachConfig config;
    @Inject
    PipelineRevisions revisions;
    @Inject
    KafkaClients kafka;

    void onStart(@Observes StartupEvent event) {
        try {
            SortedSet<String> pools = RegisteredPools.read(kafka.settings("stagecoach-scheduler-pools"), config.topics().pipelines(), READ_WITHIN, revisions);
            commandTopics.ensure(pools);
            LOG.infof("commands topics ready for the pools of the registered pipelines: %s", pools);
        } catch (RuntimeException e) {
            // Not fatal: registering a pipeline again creates its topics, and the engine reports
            // a run whose pool has no topic.
            LOG.errorf("could not make sure the registered pipelines' commands topics exist: %s", e.getMessage());
        }
    }
}
