package dev.stagecoach.worker;

import dev.stagecoach.events.LogBatch;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.ResultType;
import dev.stagecoach.events.StageResult;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.kafka.KafkaSettings;
import dev.stagecoach.pipeline.Options;
import dev.stagecoach.secrets.SecretKeyRing;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * The worker service's wiring: builds the {@link StageRunner} with its stage kinds, feeds it
 * stage commands through a {@link CommandFeed} and cancels through a {@link CancelWatcher},
 * and sends its results and logs out. Ready once the feed has joined the pool's consumer group
 * and the watcher reads every partition.
 */
@ApplicationScoped
@Readiness
public class WorkerService implements ResultSink, HealthCheck {

    /** Every property under this prefix is handed to the command consumer, e.g. {@code stagecoach.command-consumer.fetch.max.wait.ms}. */
    static final String CONSUMER_PREFIX = "stagecoach.command-consumer.";

    @Inject
    WorkerConfig config;

    @Inject
    Config allConfig;

    @Inject
    UnreadableCommands unreadable;

    @ConfigProperty(name = SecretKeyRing.KEY_SETTING)
    Optional<String> secretsKey;

    @ConfigProperty(name = SecretKeyRing.PREVIOUS_KEYS_SETTING)
    Optional<String> previousSecretsKeys;

    @Inject
    @Channel("stage-results")
    MutinyEmitter<StageResult> results;

    @Inject
    @Channel("stage-logs")
    MutinyEmitter<LogBatch> logs;

    private ScheduledExecutorService heartbeats;
    private ExecutorService slotThreads;
    private CommandFeed feed;
    private CancelWatcher watcher;

    void start(@Observes StartupEvent event) {
        heartbeats = Executors.newSingleThreadScheduledExecutor(named("heartbeats"));
        slotThreads = Executors.newFixedThreadPool(config.maxConcurrency(), named("stage-runner"));
        // A run lasts at most Options.MAX_TIMEOUT: a working directory idle for that long has no stage to come.
        Workspaces workspaces = new Workspaces(config.workDir(), config.keepWorkDirs(), Options.MAX_TIMEOUT, Clock.systemUTC());
        ArtifactStore artifacts = new ArtifactStore(config.artifactDir(), config.artifactRetention(), Clock.systemUTC());
        artifacts.sweep();
        List<StageKind> kinds = List.of(new ShellStage(workspaces, artifacts, config.maxLogLineChars()), new HttpStage(), new NoopStage());
        CommandSecrets secrets = new CommandSecrets(new WorkerSecrets(config.secretsDir(), System::getenv),
                SecretKeyRing.of(secretsKey, previousSecretsKeys));
        StageRunner runner = new StageRunner(kinds, secrets, this, Clock.systemUTC(), config.id().orElseGet(WorkerService::defaultId),
                heartbeats, config.outputTailLines());
        Topic<StageCommand> topic = new Topics(allConfig.getValue("stagecoach.topic-prefix", String.class)).commands(config.pool());
        feed = new CommandFeed(commandConsumer(topic, consumerProperties()), topic, config.maxConcurrency(), slotThreads,
                new CommandFeed.Handler() {
                    @Override
                    public void execute(StageCommand command) {
                        runner.execute(command);
                    }

                    @Override
                    public void unreadable(ConsumerRecord<String, byte[]> record, Exception why) {
                        unreadable.deadLetter(record, why);
                    }
                });
        Map<String, Object> watcherProperties = consumerProperties();
        watcherProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        watcher = new CancelWatcher(commandConsumer(topic, watcherProperties), topic, runner::cancel);
        named("command-feed").newThread(feed).start();
        named("cancel-watcher").newThread(watcher).start();
    }

    void stop(@Observes ShutdownEvent event) {
        feed.stop();
        watcher.stop();
        heartbeats.shutdownNow();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("command feed").status(feed != null && feed.joined() && watcher.watching())
                .withData("pool", config.pool()).build();
    }

    @Override
    public void result(StageResult result) {
        if (result.getType() == ResultType.FINISHED) {
            // The slot is freed for the next command only once the outcome is on the broker.
            results.sendMessageAndAwait(KafkaRecord.of(result.getRunId(), result));
        } else {
            // STARTED and heartbeats need not hold the stage up: one producer keeps a run's results in
            // order, and one that never arrives is covered by the engine's heartbeat deadline.
            results.sendMessageAndForget(KafkaRecord.of(result.getRunId(), result));
        }
    }

    @Override
    public void logs(LogBatch batch) {
        logs.sendMessageAndForget(KafkaRecord.of(batch.getRunId(), batch));
    }

    /** Values as bytes: the feed and the watcher decode them themselves, each with its own way of handling what is no command. */
    private static KafkaConsumer<String, byte[]> commandConsumer(Topic<StageCommand> topic, Map<String, Object> properties) {
        return new KafkaConsumer<>(properties, topic.keySerde().deserializer(), new ByteArrayDeserializer());
    }

    /** The service's {@code kafka.*} settings (the cluster, its security), then the command consumer's own on top. */
    private Map<String, Object> consumerProperties() {
        Map<String, Object> properties = new HashMap<>(KafkaSettings.fromConfig(allConfig.getPropertyNames(),
                key -> allConfig.getOptionalValue(key, String.class)));
        for (String name : allConfig.getPropertyNames()) {
            if (name.startsWith(CONSUMER_PREFIX)) {
                properties.put(name.substring(CONSUMER_PREFIX.length()), allConfig.getValue(name, String.class));
            }
        }
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "stagecoach-workers-" + config.pool());
        // Offsets are the claims: committed by the feed, one batch at a time, before the commands run.
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, CommandFeed.inHand(config.maxConcurrency()));
        return properties;
    }

    private static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static String defaultId() {
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + ManagementFactory.getRuntimeMXBean().getPid();
        } catch (UnknownHostException e) {
            return "worker-" + ManagementFactory.getRuntimeMXBean().getPid();
        }
    }
}
