package dev.stagecoach.worker;

import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.LogBatch;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.StageResult;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The worker's edge: stage commands in, results and logs out. A command is acknowledged as
 * soon as its start is reported: from then on the engine's heartbeat deadline, not Kafka
 * redelivery, decides whether a lost attempt runs again, so a long stage never holds back
 * the partition's offsets.
 */
@ApplicationScoped
public class CommandConsumer implements ResultSink {

    @Inject
    WorkerConfig config;

    @Inject
    @Channel("stage-results")
    MutinyEmitter<StageResult> results;

    @Inject
    @Channel("stage-logs")
    MutinyEmitter<LogBatch> logs;

    private ScheduledExecutorService heartbeats;
    private StageRunner runner;

    @PostConstruct
    void start() {
        heartbeats = Executors.newScheduledThreadPool(1, r -> {
            Thread thread = new Thread(r, "heartbeats");
            thread.setDaemon(true);
            return thread;
        });
        runner = new StageRunner(List.of(new ShellStage(config.workDir()), new NoopStage()), this,
                Clock.systemUTC(), config.id().orElseGet(CommandConsumer::defaultId), heartbeats, config.outputTailLines());
    }

    void stop(@Observes ShutdownEvent event) {
        heartbeats.shutdownNow();
    }

    @Incoming("stage-commands")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    @Blocking(value = "stage-runner", ordered = false)
    public CompletionStage<Void> consume(Message<StageCommand> message) {
        StageCommand command = message.getPayload();
        if (command.getAction() == CommandAction.CANCEL) {
            runner.cancel(command);
            return message.ack();
        }
        CompletableFuture<Void> acked = new CompletableFuture<>();
        runner.execute(command, () -> message.ack().whenComplete((ok, error) -> acked.complete(null)));
        return acked;
    }

    @Override
    public void result(StageResult result) {
        results.sendMessageAndAwait(KafkaRecord.of(result.getRunId(), result));
    }

    @Override
    public void logs(LogBatch batch) {
        logs.sendMessageAndForget(KafkaRecord.of(batch.getRunId(), batch));
    }

    private static String defaultId() {
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + ManagementFactory.getRuntimeMXBean().getPid();
        } catch (UnknownHostException e) {
            return "worker-" + ManagementFactory.getRuntimeMXBean().getPid();
        }
    }
}
