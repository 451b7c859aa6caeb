package dev.stagecoach.scheduler.api;

import dev.stagecoach.events.Topic;
import dev.stagecoach.scheduler.KafkaClients;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes the API's and the triggers' events (registrations, run requests, control, dead letters) and waits until the broker has them. */
@ApplicationScoped
public class EventPublisher {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

    @Inject
    KafkaClients kafka;

    private KafkaProducer<String, byte[]> producer;

    @PostConstruct
    void start() {
        Map<String, Object> settings = kafka.settings("stagecoach-scheduler-api");
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
    }

    void stop(@Observes ShutdownEvent event) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Writes an event in its topic's format. */
    public <T> void publish(Topic<T> topic, String key, T event) {
        send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), event)));
    }

    /** Writes a record as it is, e.g. a dead letter with its original bytes and headers. */
    public void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + record.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not accept the write to " + record.topic() + ": " + e.getMessage(), e);
        }
    }
}
