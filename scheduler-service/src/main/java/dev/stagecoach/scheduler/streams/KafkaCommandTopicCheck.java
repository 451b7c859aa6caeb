package dev.stagecoach.scheduler.streams;

import dev.stagecoach.scheduler.KafkaClients;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

/**
 * Asks the broker whether a commands topic exists, and remembers the answer: yes for good
 * (Stagecoach never deletes one), no for a few seconds, so that a pipeline registered again
 * (which creates its pools' topics) is served soon after. The stream thread asks once per
 * command, so a topic known to exist costs a set lookup.
 */
@ApplicationScoped
public class KafkaCommandTopicCheck implements CommandTopicCheck {

    private static final Logger LOG = Logger.getLogger(KafkaCommandTopicCheck.class);
    private static final Duration ASK_WITHIN = Duration.ofSeconds(5);
    private static final long MISSING_REMEMBERED_NANOS = Duration.ofSeconds(5).toNanos();

    @Inject
    KafkaClients kafka;

    private final Set<String> existing = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> missingSince = new ConcurrentHashMap<>();
    private Admin admin;

    @PostConstruct
    void start() {
        admin = Admin.create(kafka.settings("stagecoach-scheduler-topic-check"));
    }

    void stop(@Observes ShutdownEvent event) {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public boolean exists(String topic) {
        if (existing.contains(topic)) {
            return true;
        }
        Long missing = missingSince.get(topic);
        if (missing != null && System.nanoTime() - missing < MISSING_REMEMBERED_NANOS) {
            return false;
        }
        try {
            admin.describeTopics(Set.of(topic)).allTopicNames().get(ASK_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            existing.add(topic);
            missingSince.remove(topic);
            return true;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                // Unsure: sending is the better bet, the broker is most likely just slow.
                LOG.warnf("could not learn whether topic %s exists (%s); sending to it", topic, e.getCause().getMessage());
                return true;
            }
            missingSince.put(topic, System.nanoTime());
            return false;
        } catch (TimeoutException e) {
            LOG.warnf("could not learn within %d s whether topic %s exists; sending to it", ASK_WITHIN.toSeconds(), topic);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
