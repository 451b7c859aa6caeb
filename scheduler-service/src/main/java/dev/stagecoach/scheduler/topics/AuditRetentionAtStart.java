package dev.stagecoach.scheduler.topics;

import dev.stagecoach.events.AuditEntry;
import dev.stagecoach.events.Topic;
import dev.stagecoach.scheduler.KafkaClients;
import dev.stagecoach.scheduler.StagecoachConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.jboss.logging.Logger;

/**
 * At start, sets the audit topic's {@code retention.ms} to {@code stagecoach.audit.retention}.
 * The topic is created elsewhere (docker-compose's kafka-init, the local stack, an operator)
 * and may predate the setting or carry the broker's default week: setting it here makes the
 * scheduler's configuration the one place that says how long the trail is kept.
 */
@ApplicationScoped
public class AuditRetentionAtStart {

    private static final Logger LOG = Logger.getLogger(AuditRetentionAtStart.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Inject
    StagecoachConfig config;
    @Inject
    KafkaClients kafka;

    void onStart(@Observes StartupEvent event) {
        Topic<AuditEntry> audit = config.topics().audit().withRetention(config.audit().retention());
        Admin admin = Admin.create(kafka.settings("stagecoach-scheduler-audit-retention"));
        try {
            apply(admin, audit);
            LOG.infof("audit topic %s keeps its entries for %s (stagecoach.audit.retention)", audit.name(), audit.retention());
        } catch (RuntimeException e) {
            // Not fatal: the trail is still written and read, only kept for what the topic says.
            LOG.errorf("could not set the retention of the audit topic %s to %s (stagecoach.audit.retention): %s; set it with "
                    + "kafka-configs.sh --alter --entity-type topics --entity-name %s --add-config retention.ms=%d",
                    audit.name(), audit.retention(), e.getMessage(), audit.name(), audit.retention().toMillis());
        } finally {
            admin.close(Duration.ofSeconds(5));
        }
    }

    /** Sets the topic's {@code retention.ms} to its retention; setting the value it has already changes nothing. */
    static void apply(Admin admin, Topic<?> topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
        AlterConfigOp set = new AlterConfigOp(new ConfigEntry(Topic.RETENTION_MS, String.valueOf(topic.retention().toMillis())),
                AlterConfigOp.OpType.SET);
        try {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(set))).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
