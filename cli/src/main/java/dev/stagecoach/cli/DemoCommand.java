package dev.stagecoach.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", description = "Start a local stack, run examples/release.yaml, print its report, stop everything. Exit 0 only if the run succeeded.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--pipeline", description = "The pipeline to run (default: examples/release.yaml)")
    Path pipeline;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A run parameter; repeat for more")
    Map<String, String> parameters = new LinkedHashMap<>(Map.of("version", "1.4.2"));

    @Option(names = "--kafka-config", paramLabel = "FILE", description = UpCommand.KAFKA_CONFIG_HELP)
    Path kafkaConfig;

    @Option(names = WorkerPools.OPTION, paramLabel = "POOL=COUNT[,POOL=COUNT...]", description = UpCommand.WORKERS_HELP)
    String workers;

    @Override
    public Integer call() throws IOException {
        WorkerPools pools;
        try {
            pools = WorkerPools.parse(workers);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return Stagecoach.BAD_INPUT;
        }
        Path home = Stagecoach.home();
        Path file = pipeline != null ? pipeline : home.resolve("examples/release.yaml");
        Path state = home.resolve(".stagecoach/demo");
        deleteRecursively(state);
        long started = System.nanoTime();
        System.out.println("Starting a Kafka broker and the three services (logs in " + state.resolve("logs") + ") ...");
        try (LocalStack stack = new LocalStack(home, state).withWorkers(pools).withNotifierSettings(System.getenv()).stopWithThisJvm()) {
            UpCommand.start(stack, kafkaConfig);
            System.out.printf("Stack ready in %.1f s: Kafka %s, scheduler %s%n",
                    (System.nanoTime() - started) / 1e9, stack.bootstrapServers(), stack.schedulerUrl());
            System.out.println("Notifier delivers to " + LocalStack.channelsConfigured(stack.notifierSettings()));
            ApiClient api = new ApiClient(stack.schedulerUrl(), stack.token());
            long runStarted = System.nanoTime();
            RunCommand.Outcome outcome = RunCommand.run(api, file, parameters, true, Duration.ofMinutes(10));
            System.out.printf("Run took %.1f s%n%n", (System.nanoTime() - runStarted) / 1e9);
            if (outcome.runId() != null) {
                System.out.println(api.report(outcome.runId()));
            }
            System.out.println("Stopping the stack ...");
            return outcome.exitCode();
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            return Stagecoach.FAILED;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
