package dev.stagecoach.cli;

import dev.stagecoach.kafka.KafkaSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "up",
        description = "Start a local stack (Kafka broker, scheduler, notifier and workers, one default worker unless --workers says otherwise)"
                + " that keeps running; stop it with `down`. On a stack that runs, starts again what has ended (a kill -9, a crash).")
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
        StackFile file = new StackFile(Stagecoach.stackDir());
        Optional<StackFile.Contents> recorded = file.read();
        if (recorded.isPresent()) {
            List<String> ended = recorded.get().ended();
            if (ended.isEmpty()) {
                System.err.println("a local stack already runs (" + Stagecoach.stackDir() + "); stop it with `stagecoach down`");
                return Stagecoach.FAILED;
            }
            if (ended.size() < recorded.get().pids().size()) {
                return restartEnded(recorded.get(), ended);
            }
            // A stack whose processes all ended (a reboot, kill -9 of each): its file is all that is left of it.
            System.out.println("the local stack in " + Stagecoach.stackDir() + " had stopped (none of its processes runs); starting it anew");
            file.delete();
        }
        LocalStack stack = new LocalStack(Stagecoach.home(), Stagecoach.stackDir()).withWorkers(pools).withNotifierSettings(System.getenv());
        try {
            start(stack, kafkaConfig);
        } catch (RuntimeException e) {
            stack.close();
            System.err.println("error: " + e.getMessage());
            return Stagecoach.FAILED;
        }
        printWhereThingsAre(stack, kafkaConfig == null ? null : kafkaConfig.toString(), pools);
        return Stagecoach.OK;
    }

    /** Like docker compose up on a project partly down: what ended starts again as it was, the rest runs on untouched. */
    private Integer restartEnded(StackFile.Contents recorded, List<String> ended) {
        if (workers != null || kafkaConfig != null) {
            System.err.println("note: " + WorkerPools.OPTION + " and --kafka-config shape a new stack; the processes that ended start"
                    + " again as they were (`down`, then `up`, for a new stack)");
        }
        LocalStack stack = new LocalStack(Stagecoach.home(), Stagecoach.stackDir()).withNotifierSettings(System.getenv());
        if (recorded.kafkaConfig() != null) {
            stack.withKafkaSettings(KafkaSettings.load(Path.of(recorded.kafkaConfig())));
        }
        for (String name : ended) {
            System.out.println("starting " + name + " again (process " + recorded.pids().get(name) + " had ended)");
        }
        try {
            stack.restartEnded(recorded);
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            return Stagecoach.FAILED;
        }
        printWhereThingsAre(stack, recorded.kafkaConfig(), WorkerPools.ofWorkers(recorded.workers() == null ? Map.of() : recorded.workers()));
        return Stagecoach.OK;
    }

    private static void printWhereThingsAre(LocalStack stack, String kafkaConfig, WorkerPools pools) {
        System.out.println("Kafka      " + stack.bootstrapServers() + (kafkaConfig == null ? "" : "  (" + kafkaConfig + ")"));
        System.out.println("dashboard  " + stack.schedulerUrl() + "/#token=" + stack.token() + "  (signs you in as admin for this browser session)");
        System.out.println("scheduler  " + stack.schedulerUrl() + "  (API under /api, health /q/health, metrics /q/metrics)");
        System.out.println("workers    " + String.join(", ", stack.workerNames()) + "  (" + pools + ")");
        System.out.println("notifier   delivers to " + LocalStack.channelsConfigured(stack.notifierSettings())
                + "  (set QUARKUS_MAILER_*, STAGECOACH_NOTIFIER_* before `up` for the others; README, Notifications)");
        System.out.println("logs       " + stack.logsDir());
        System.out.println("stop with  ./stagecoach down");
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
        stack.withKafkaSettings(settings).withKafkaConfigFile(kafkaConfig).startServices(bootstrapServers);
    }
}
