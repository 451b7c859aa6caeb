package dev.stagecoach.scheduler.triggers;

import dev.stagecoach.events.DeadLetters;
import dev.stagecoach.events.TriggerType;
import dev.stagecoach.scheduler.KafkaClients;
import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.scheduler.api.EventPublisher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The scheduler's event triggers: an {@link EventTriggerFeed} on its own thread, with run
 * requests and dead letters written through the API's producer. A plain KafkaConsumer rather
 * than a SmallRye channel: the topics to read change with every registration, and offsets
 * must be committed only after the run requests a batch caused are on the broker.
 */
@ApplicationScoped
public class EventTriggers implements EventTriggerFeed.Handler {

    static final String CONSUMER_NAME = "scheduler-event-triggers";
    private static final Logger LOG = Logger.getLogger(EventTriggers.class);

    @Inject
    StagecoachConfig config;
    @Inject
    RegisteredPipelines pipelines;
    @Inject
    TriggeredRuns runs;
    @Inject
    EventPublisher publisher;
    @Inject
    KafkaClients kafka;

    private EventTriggerFeed feed;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        feed = newFeed(config.triggers().event().groupId());
        thread = new Thread(feed, "event-triggers");
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        feed.stop();
        thread.join(10_000);
    }

    /** A feed in consumer group {@code groupId} that hands its records to this bean; the service runs one. */
    public EventTriggerFeed newFeed(String groupId) {
        Map<String, Object> settings = kafka.settings(CONSUMER_NAME + "-" + groupId);
        settings.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Only committed records of transactional writers: an aborted one never happened.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // Naming a topic in a trigger must not create it; the feed reads it once it exists.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000));
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
        return new EventTriggerFeed(consumer, pipelines::all, config.triggers().event().refresh(), this);
    }

    /** False once the feed's thread has ended: it logged why, and nothing restarts it but the service. */
    public boolean alive() {
        return thread == null || thread.isAlive();
    }

    /** The topics the service's feed reads now. */
    public Set<String> reading() {
        return feed == null ? Set.of() : feed.reading();
    }

    @Override
    public void request(RegisteredPipelines.Registered pipeline, String runId, String requestedBy) {
        runs.requestWithDefaults(runId, pipeline.name(), TriggerType.EVENT, requestedBy);
        LOG.debugf("run=%s pipeline=%s requested by %s", runId, pipeline.name(), requestedBy);
    }

    @Override
    public void unreadable(ConsumerRecord<String, byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetters.addTo(headers, reason, record.topic(), record.partition(), record.offset(), CONSUMER_NAME);
        publisher.send(new ProducerRecord<>(config.topics().deadLetters().name(), null, record.key(), record.value(), headers));
        LOG.warnf("unreadable event dead-lettered topic=%s partition=%d offset=%d reason=\"%s\"",
                record.topic(), record.partition(), record.offset(), reason);
    }
}
