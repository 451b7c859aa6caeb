package dev.stagecoach.cli;

import dev.stagecoach.kafka.KafkaSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "up",
        description = "Start a local stack (Kafka broker, scheduler, notifier and workers, one default worker unless --workers says otherwise) that keeps running; stop it with `down`.")
final class UpCommand implements Callable<Integer> {

    static final String WORKERS_HELP = "Worker processes per pool, e.g. default=2,gpu=1: a stage with `pool: gpu` runs on a gpu worker."
            + " Pools not named keep their count: one default worker, none of any other pool; default=0 starts none.";

    static final String KAFKA_CONFIG_HELP = "Use the Kafka cluster this client properties file describes instead of starting a broker:"
            + " bootstrap.servers and, for a secured cluster, security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.*"
            + " (the file kafka-console-consumer --consumer.config reads). Every service and the stack's own clients get all of it.";

    @Option(names = "--kafka-config", paramLabel = "FILE", description = KAFKA_CONFIG_HELP)
    Path kafkaConfig;

    @Option(names = WorkerPools.OPTION, paramLabel = "POOL=COUNT[,POOL=COUNT...]", description = WORKERS_HELP)
    String workers;

    @Override
    public Integer call() {
        WorkerPools pools;
        try {
            pools = WorkerPools.parse(workers);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return Stagecoach.BAD_INPUT;
        }
        if (new StackFile(Stagecoach.stackDir()).read().isPresent()) {
            System.err.println("a local stack already runs (" + Stagecoach.stackDir() + "); stop it with `stagecoach down`");
            return Stagecoach.FAILED;
        }
        LocalStack stack = new LocalStack(Stagecoach.home(), Stagecoach.stackDir()).withWorkers(pools).withNotifierSettings(System.getenv());
        try {
            start(stack, kafkaConfig);
        } catch (RuntimeException e) {
            stack.close();
            System.err.println("error: " + e.getMessage());
            return Stagecoach.FAILED;
        }
        System.out.println("Kafka      " + stack.bootstrapServers() + (kafkaConfig == null ? "" : "  (" + kafkaConfig + ")"));
        System.out.println("dashboard  " + stack.schedulerUrl() + "/#token=" + stack.token() + "  (signs you in as admin for this browser session)");
        System.out.println("scheduler  " + stack.schedulerUrl() + "  (API under /api, health /q/health, metrics /q/metrics)");
        System.out.println("workers    " + String.join(", ", stack.workerNames()) + "  (" + pools + ")");
        System.out.println("notifier   delivers to " + LocalStack.channelsConfigured(stack.notifierSettings())
                + "  (set QUARKUS_MAILER_*, STAGECOACH_NOTIFIER_* before `up` for the others; README, Notifications)");
        System.out.println("logs       " + stack.logsDir());
        System.out.println("stop with  ./stagecoach down");
        return Stagecoach.OK;
    }

    /** Starts a broker and the services, or with a client properties file only the services, on the cluster it names. */
    static void start(LocalStack stack, Path kafkaConfig) {
        if (kafkaConfig == null) {
            stack.start();
            return;
        }
        Map<String, String> settings = KafkaSettings.load(kafkaConfig);
        String bootstrapServers = settings.get("bootstrap.servers");
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(kafkaConfig + " has no bootstrap.servers: --kafka-config names the cluster to use, e.g."
                    + " bootstrap.servers=kafka-1:9093 with its security.protocol and sasl.* settings");
        }
        stack.withKafkaSettings(settings).startServices(bootstrapServers);
    }
}
