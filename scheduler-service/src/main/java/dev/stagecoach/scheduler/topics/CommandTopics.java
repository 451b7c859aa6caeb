package dev.stagecoach.scheduler.topics;

import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.StageSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the commands topic of every worker pool a pipeline names. The engine writes a stage's
 * command inside its transaction; a topic that does not exist fails that transaction, so the
 * topic must exist before a run of the pipeline can start, that is before its registration is published.
 */
public final class CommandTopics implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final Admin admin;
    private final Topics topics;
    private final int partitions;
    private final short replicationFactor;
    private final int minInsyncReplicas;
    // Pools whose topic is known to exist: a registration of a known pipeline asks the broker nothing.
    private final Set<String> ready = ConcurrentHashMap.newKeySet();

    public CommandTopics(Admin admin, Topics topics, int partitions, short replicationFactor, int minInsyncReplicas) {
        this.admin = admin;
        this.topics = topics;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.minInsyncReplicas = minInsyncReplicas;
    }

    /** The pools whose workers run a stage of the pipeline; a rollback step runs in the pool of its stage. */
    public static SortedSet<String> poolsOf(PipelineDefinition definition) {
        SortedSet<String> pools = new TreeSet<>();
        Stream.concat(definition.stages().stream(), definition.finallyStages().stream())
                .map(StageSpec::pool).forEach(pools::add);
        return pools;
    }

    /** Makes sure the commands topic of every pool of the pipeline exists. */
    public void ensureFor(PipelineDefinition definition) {
        ensure(poolsOf(definition));
    }

    /**
     * Creates the commands topics of the pools that do not have one yet, and returns once each
     * partition has a leader.
     *
     * @throws CommandTopicException naming the first topic that could not be created and the broker's reason
     */
    public void ensure(Collection<String> pools) {
        List<String> missing = pools.stream().filter(pool -> !ready.contains(pool)).distinct().toList();
        if (missing.isEmpty()) {
            return;
        }
        List<NewTopic> wanted = missing.stream().map(this::newTopic).toList();
        Map<String, KafkaFuture<Void>> results = admin.createTopics(wanted).values();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                result.getValue().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new CommandTopicException(result.getKey(), e.getCause().getMessage(),
                            e.getCause() instanceof InvalidTopicException, e.getCause());
                }
            } catch (TimeoutException e) {
                throw new CommandTopicException(result.getKey(), "Kafka did not answer within " + TIMEOUT.toSeconds() + " s", false, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandTopicException(result.getKey(), "interrupted", false, e);
            }
        }
        awaitLeaders(wanted.stream().map(NewTopic::name).toList());
        ready.addAll(missing);
    }

    private NewTopic newTopic(String pool) {
        Topic<StageCommand> topic = topics.commands(pool).withPartitions(partitions);
        return new NewTopic(topic.name(), topic.partitions(), replicationFactor).configs(topic.configs(minInsyncReplicas));
    }

    // The controller answers before every broker has applied the new topic; the engine's
    // producer copes with that, but a registration that returns should mean "runs can start".
    private void awaitLeaders(List<String> names) {
        Instant giveUp = Instant.now().plus(TIMEOUT);
        while (true) {
            try {
                Map<String, TopicDescription> described =
                        admin.describeTopics(names).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                boolean led = described.values().stream().flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (led) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new CommandTopicException(String.join(", ", names), e.getCause().getMessage(), false, e.getCause());
                }
            } catch (TimeoutException e) {
                throw new CommandTopicException(String.join(", ", names), "Kafka did not describe it within " + TIMEOUT.toSeconds() + " s", false, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandTopicException(String.join(", ", names), "interrupted", false, e);
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new CommandTopicException(String.join(", ", names),
                        "created, but a partition has no leader after " + TIMEOUT.toSeconds() + " s", false, null);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
