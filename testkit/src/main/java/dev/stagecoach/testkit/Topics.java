package dev.stagecoach.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Topic creation against any broker, embedded or not. */
final class Topics {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long DESCRIBE_RETRY_MS = 20;

    private Topics() {
    }

    /**
     * Parses {@code "a,b:3"}: comma separated names, each with an optional partition count
     * (default 1). Blank or null gives no topics.
     */
    static List<NewTopic> parse(String spec) {
        List<NewTopic> topics = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return topics;
        }
        for (String entry : spec.split(",")) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.lastIndexOf(':');
            String name = colon < 0 ? trimmed : trimmed.substring(0, colon).strip();
            int partitions = colon < 0 ? 1 : Integer.parseInt(trimmed.substring(colon + 1).strip());
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        return topics;
    }

    /** Creates the topics that do not exist yet; returns once the broker serves all of them. */
    static void create(String bootstrapServers, Collection<NewTopic> topics) {
        create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topics);
    }

    /** As {@link #create(String, Collection)}, for a broker that needs more than its address (a SASL_SSL one). */
    static void create(Map<String, Object> clientProperties, Collection<NewTopic> topics) {
        if (topics.isEmpty()) {
            return;
        }
        Object bootstrapServers = clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (Admin admin = Admin.create(clientProperties)) {
            for (Map.Entry<String, KafkaFuture<Void>> result : admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + result.getKey(), e.getCause());
                    }
                }
            }
            awaitServed(admin, topics.stream().map(NewTopic::name).toList());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Topic creation timed out at " + bootstrapServers, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }

    // An idempotent producer whose first batch met a partition without a leader yet has been seen
    // to retry it with OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout: produce only once
    // every partition has one.
    private static boolean everyPartitionLed(Collection<TopicDescription> topics) {
        return topics.stream().flatMap(t -> t.partitions().stream()).allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    }

    // The broker's metadata may name a leader before that leader's log takes writes (the
    // producer above had seen the leader, then got NOT_LEADER_OR_FOLLOWER). Listing offsets is
    // answered by the leader's log itself, and the admin client retries it until it is.
    private static void awaitLeadersAnswer(Admin admin, Collection<TopicDescription> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        topics.forEach(t -> t.partitions().forEach(p -> latest.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
        admin.listOffsets(latest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    // The controller acknowledges a new topic before the broker has applied it to its own
    // metadata; clients that check for the topic right away (Kafka Streams does) would miss it.
    private static void awaitServed(Admin admin, List<String> names)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described =
                        admin.describeTopics(names).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (everyPartitionLed(described.values())) {
                    awaitLeadersAnswer(admin, described.values());
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Could not describe topics " + names, e.getCause());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Topics " + names + " not served after " + TIMEOUT.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(DESCRIBE_RETRY_MS);
        }
    }
}
