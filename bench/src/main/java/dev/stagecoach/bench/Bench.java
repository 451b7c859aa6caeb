package dev.stagecoach.bench;

import dev.stagecoach.cli.LocalStack;
import dev.stagecoach.events.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./stagecoach bench}: starts a broker and the packaged services as processes, measures
 * Kafka's own round trip, stage hand-off latency, throughput with 1, 2 and 4 workers, a
 * fan-out and the footprint, then prints one Markdown report and writes it to
 * bench/target/bench-results.md. Bounded in time and count; loopback only.
 */
@Command(name = "stagecoach bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure hand-off latency, throughput, fan-out and footprint on one real broker; print a Markdown report.")
public final class Bench implements Callable<Integer> {

    static final int HANDOFF_STAGES = 20;
    static final int THROUGHPUT_STAGES = 10;
    static final int FANOUT_PARALLEL_WORKERS = 16;
    static final String WORKER_GROUP = "stagecoach-workers-default";
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(30);
    private static final List<String> SECTIONS = List.of("floor", "handoff", "peers", "notifications", "throughput", "fanout", "footprint", "failover");

    @Option(names = "--quick", description = "Fewer samples and shorter windows: about three minutes instead of ten.")
    boolean quick;

    @Option(names = "--sections", split = ",", paramLabel = "NAME",
            description = "Which sections to run (default: all): floor, handoff, peers, notifications, throughput, fanout, footprint, failover.")
    List<String> sections = new ArrayList<>(SECTIONS);

    @Option(names = "--workers", split = ",", paramLabel = "N", description = "Worker instances of the throughput phases (default: 1,2,4).")
    List<Integer> workerCounts = new ArrayList<>(List.of(1, 2, 4));

    @Option(names = "--in-flight", paramLabel = "RUNS", description = "Runs kept in flight by the throughput load (default: 200).")
    int inFlight = 200;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Warm-up of each throughput phase (default: 15; quick: 5).")
    Integer warmupSeconds;

    @Option(names = "--window", paramLabel = "SECONDS", description = "Measured window of each throughput phase (default: 30; quick: 10).")
    Integer windowSeconds;

    @Option(names = "--floor-samples", paramLabel = "N", description = "Round trips per floor measurement (default: 2000; quick: 300).")
    Integer floorSamples;

    @Option(names = "--floor-fetch-max-wait-ms", paramLabel = "MS",
            description = "fetch.max.wait.ms of the floor's consumers (default: 10, as the services have it).")
    int floorFetchMaxWaitMs = 10;

    @Option(names = "--handoff-runs", paramLabel = "N", description = "Runs of 20 stages for the hand-off (default: 50; quick: 10).")
    Integer handoffRuns;

    @Option(names = "--fanout-shards", paramLabel = "N", description = "Shards of the fanned-out stage (default: 1000, the language's maximum; quick: 200).")
    Integer fanoutShards;

    @Option(names = "--footprint-runs", paramLabel = "N", description = "Finished runs held in state for the footprint (default: 10000; quick: 2000).")
    Integer footprintRuns;

    @Option(names = "--failover-runs", paramLabel = "N", description = "Runs in flight when a scheduler is killed (default: 8).")
    int failoverRuns = 8;

    @Option(names = "--failover-rounds", paramLabel = "N", description = "Kills of each fail-over scenario (default: 1).")
    int failoverRounds = 1;

    @Option(names = "--profile", description = "Record the scheduler and the first worker with JDK Flight Recorder during the first "
            + "throughput phase, the fan-out and the idle footprint, and add where their CPU goes to the report (costs a few %% of CPU).")
    boolean profile;

    @Option(names = "--scheduler-opt", paramLabel = "JVM_OPTION",
            description = "Extra JVM option for the scheduler, e.g. -Dkafka-streams.commit.interval.ms=5 (repeatable).")
    List<String> schedulerOpts = new ArrayList<>();

    @Option(names = "--worker-opt", paramLabel = "JVM_OPTION", description = "Extra JVM option for every worker instance (repeatable).")
    List<String> workerOpts = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "Where the Markdown goes besides stdout (default: bench/target/bench-results.md).")
    Path out;

    private static final String SERVER_JIT = "-XX:TieredStopAtLevel=4";

    private String[] args = new String[0];

    public static void main(String[] args) {
        Bench bench = new Bench();
        bench.args = args;
        System.exit(new CommandLine(bench).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        for (String section : sections) {
            if (!SECTIONS.contains(section)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown section \"" + section + "\"; known: " + SECTIONS);
            }
        }
        Path home = Path.of(System.getProperty("stagecoach.home", ".")).toAbsolutePath().normalize();
        Path state = home.resolve(".stagecoach/bench");
        Path output = out != null ? out : home.resolve("bench/target/bench-results.md");
        deleteRecursively(state);

        Results results = new Results();
        results.command = "./stagecoach bench" + (args.length == 0 ? "" : " " + String.join(" ", args));
        results.startedAt = Instant.now();
        results.loadBefore = ProcStats.loadAverage();
        describeMachine(results);
        long began = System.nanoTime();

        // LocalStack stops the JIT at C1 so that the demo starts fast; a deployed service runs the
        // full tiered JIT, and that is what the numbers should describe. A later option wins.
        schedulerOpts.add(0, SERVER_JIT);
        workerOpts.add(0, SERVER_JIT);
        LocalStack stack = new LocalStack(home, state);
        Thread stopStack = new Thread(stack::close, "bench-stop-stack");
        Runtime.getRuntime().addShutdownHook(stopStack);
        startWatchdog();
        try {
            progress(began, "starting a Kafka broker and the three services (logs in " + stack.logsDir() + ")");
            stack.startBroker();
            stack.startServices(stack.bootstrapServers(), Map.of(
                    LocalStack.SCHEDULER, schedulerOpts, LocalStack.WORKER, workerOpts));
            describeSettings(home, stack, results);
            try (BenchKafka kafka = new BenchKafka(stack.kafkaClientProperties())) {
                kafka.features().forEach((name, level) -> results.settings.put("broker feature " + name, Short.toString(level)));
            }
            measure(stack, state, results, began);
        } finally {
            progress(began, "stopping the stack");
            stack.close();
            Runtime.getRuntime().removeShutdownHook(stopStack);
        }
        results.loadAfter = ProcStats.loadAverage();
        results.took = Duration.ofNanos(System.nanoTime() - began);

        String markdown = new MarkdownReport(results).render();
        System.out.println(markdown);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, markdown, StandardCharsets.UTF_8);
        System.err.println("written to " + output);
        return 0;
    }

    private void measure(LocalStack stack, Path state, Results results, long began) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("scheduler", stack.process(LocalStack.SCHEDULER).pid());
        pids.put("worker", stack.process(LocalStack.WORKER).pid());
        pids.put("broker", stack.process(LocalStack.KAFKA).pid());
        pids.put("notifier", stack.process(LocalStack.NOTIFIER).pid());
        pids.put("bench", ProcessHandle.current().pid());
        List<String> workers = new ArrayList<>(List.of(LocalStack.WORKER));

        try (BenchKafka kafka = new BenchKafka(stack.kafkaClientProperties()); EventTap tap = new EventTap(kafka)) {
            BenchPipelines pipelines = new BenchPipelines(stack.schedulerUrl(), stack.token());
            pipelines.register(BenchPipelines.sequential(BenchPipelines.HANDOFF, HANDOFF_STAGES), BenchPipelines.HANDOFF);
            pipelines.register(BenchPipelines.sequential(BenchPipelines.THROUGHPUT, THROUGHPUT_STAGES), BenchPipelines.THROUGHPUT);
            pipelines.register(BenchPipelines.sequential(BenchPipelines.SINGLE, 1), BenchPipelines.SINGLE);
            pipelines.register(BenchPipelines.sequential(PeerWorkloadBench.PIPELINE, PeerWorkloadBench.STEPS), PeerWorkloadBench.PIPELINE);
            kafka.awaitGroup(WORKER_GROUP, 1, Duration.ofSeconds(60));

            progress(began, "idle footprint");
            pause(Duration.ofSeconds(3));
            results.idle = quiet(pids, tap, state, Duration.ofSeconds(quick ? 5 : 10));
            ProcStats.Reading wholeRunFrom = ProcStats.read(pids);
            Duration warmLoad = Duration.ofSeconds(quick ? 5 : 15);
            progress(began, "warming up the services with " + warmLoad.toSeconds() + " s of load (not measured)");
            new ThroughputBench(kafka, tap, THROUGHPUT_STAGES).warmUp(inFlight, warmLoad);
            pause(Duration.ofSeconds(2));

            if (sections.contains("floor")) {
                int samples = orDefault(floorSamples, 2000, 300);
                progress(began, "floor: " + samples + " round trips of each kind");
                results.floor = new FloorBench(kafka, floorFetchMaxWaitMs).measure(Math.max(50, samples / 10), samples);
            }
            if (sections.contains("handoff")) {
                int runs = orDefault(handoffRuns, 50, 10);
                HandoffBench handoff = new HandoffBench(kafka, tap, HANDOFF_STAGES);
                progress(began, "hand-off: " + runs + " runs of " + HANDOFF_STAGES + " noop stages, one at a time");
                handoff.measure(Math.min(quick ? 3 : 10, runs), false);
                results.handoff = handoff.measure(runs, false);
                int probed = Math.max(5, runs / 2);
                progress(began, "hand-off breakdown: " + probed + " runs with a probe on the commands topic");
                results.probedHandoff = handoff.measure(probed, true);
            }
            if (sections.contains("peers")) {
                int oneAtATime = quick ? 30 : 100;
                int burst = quick ? 150 : 500;
                progress(began, "peers' workload: runs of " + PeerWorkloadBench.STEPS + " noop steps, " + oneAtATime
                        + " one at a time, then " + burst + " at once");
                results.peers = new PeerWorkloadBench(kafka, tap).measure(oneAtATime, burst);
            }
            if (sections.contains("notifications")) {
                int samples = quick ? 100 : 500;
                int burst = quick ? 500 : 2000;
                progress(began, "notifications: " + samples + " webhooks one at a time, then " + burst + " at once");
                try (NotificationBench notifications = new NotificationBench(kafka)) {
                    results.notifications = notifications.measure(Math.max(20, samples / 10), samples, burst);
                }
            }
            if (sections.contains("throughput")) {
                ThroughputBench throughput = new ThroughputBench(kafka, tap, THROUGHPUT_STAGES);
                Duration warmup = Duration.ofSeconds(orDefault(warmupSeconds, 15, 5));
                Duration window = Duration.ofSeconds(orDefault(windowSeconds, 30, 10));
                for (int count : workerCounts.stream().sorted().toList()) {
                    scaleWorkers(stack, kafka, workers, pids, count, began);
                    progress(began, "throughput with " + count + " worker(s): " + inFlight + " runs in flight, warm-up "
                            + warmup.toSeconds() + " s, window " + window.toSeconds() + " s");
                    if (results.phases.isEmpty()) {
                        results.phases.add(profiled("throughput with " + count + " worker(s)", pids, state, results,
                                () -> throughput.measure(count, inFlight, warmup, window, pids)));
                    } else {
                        results.phases.add(throughput.measure(count, inFlight, warmup, window, pids));
                    }
                }
            }
            if (sections.contains("fanout")) {
                int shards = orDefault(fanoutShards, 1000, 200);
                progress(began, "fan-out: one noop stage with " + shards + " shards over " + workers.size() + " worker(s)");
                pipelines.register(BenchPipelines.fanout(BenchPipelines.FANOUT, shards, FANOUT_PARALLEL_WORKERS), BenchPipelines.FANOUT);
                results.fanout = profiled("the fan-out", pids, state, results, () -> new FanoutBench(kafka, tap)
                        .measure(shards, FANOUT_PARALLEL_WORKERS, workers.size(), Duration.ofSeconds(quick ? 120 : 240)));
            }
            if (sections.contains("footprint")) {
                long target = orDefault(footprintRuns, 10_000, 2_000);
                results.fillTarget = target;
                progress(began, "footprint: filling the engine's state to " + target + " finished runs (" + tap.runsEnded() + " so far)");
                results.filledToTarget = new ThroughputBench(kafka, tap, 1)
                        .fill(BenchPipelines.SINGLE, 1, target, inFlight, Duration.ofSeconds(quick ? 120 : 240));
                pause(Duration.ofSeconds(5));
                results.filled = profiled("idle with the finished runs held", pids, state, results,
                        () -> quiet(pids, tap, state, Duration.ofSeconds(10)));
                results.runsAfterFill = kafka.runsOnTopic(new Topics(Topics.DEFAULT_PREFIX).runs());
                schedulerOpts.stream().filter(o -> o.startsWith("-Dstagecoach.retention="))
                        .reduce((first, last) -> last).ifPresent(o -> results.retention = o.substring(o.indexOf('=') + 1));
            }
            results.wholeRun = ProcStats.between(wholeRunFrom, ProcStats.read(pids));
            // Last, and outside the whole run's CPU shares: it kills schedulers and leaves another set running.
            if (sections.contains("failover")) {
                // Every run in flight has a stage running at the kill: one slot per run (4 per worker).
                scaleWorkers(stack, kafka, workers, pids, (failoverRuns + 3) / 4, began);
                pipelines.register(FailoverBench.pipeline(), FailoverBench.PIPELINE);
                FailoverBench failover = new FailoverBench(kafka, tap, stack, schedulerOpts);
                for (int round = 1; round <= failoverRounds; round++) {
                    progress(began, "fail-over (a), round " + round + ": " + failoverRuns + " runs in flight, kill -9 of the only scheduler, restart in place");
                    results.failovers.add(failover.restartInPlace(failoverRuns));
                }
                for (int round = 1; round <= failoverRounds; round++) {
                    progress(began, "fail-over (b), round " + round + ": two schedulers, kill -9 of the one owning more of " + failoverRuns + " runs");
                    results.failovers.add(failover.survivorTakesOver(failoverRuns));
                }
            }
        }
    }

    /**
     * Runs {@code body}; with --profile, records the scheduler and the first worker with JFR
     * meanwhile and adds where their CPU went to the report.
     */
    private <T> T profiled(String during, Map<String, Long> pids, Path dir, Results results, java.util.function.Supplier<T> body) {
        if (!profile) {
            return body.get();
        }
        List<String> processes = List.of("scheduler", "worker");
        processes.forEach(name -> Profiler.start(pids.get(name)));
        long started = System.nanoTime();
        T value = body.get();
        Duration recorded = Duration.ofNanos(System.nanoTime() - started);
        String slug = during.replaceAll("[^a-z0-9]+", "-");
        for (String name : processes) {
            Path file = Profiler.stop(pids.get(name), dir.resolve("profile-" + name + "-" + slug + ".jfr"));
            try {
                results.profiles.add(Profiler.summarize(name, during, file, recorded, 12));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the recording " + file + ": " + e, e);
            }
        }
        return value;
    }

    private void scaleWorkers(LocalStack stack, BenchKafka kafka, List<String> workers, Map<String, Long> pids,
                              int count, long began) {
        if (workers.size() >= count) {
            return;
        }
        progress(began, "starting worker instance(s) up to " + count);
        List<String> added = new ArrayList<>();
        while (workers.size() < count) {
            String name = "worker-" + (workers.size() + 1);
            stack.startService(name, LocalStack.WORKER, workerOpts);
            workers.add(name);
            added.add(name);
        }
        for (String name : added) {
            stack.awaitReady(name);
            pids.put(name, stack.process(name).pid());
        }
        kafka.awaitGroup(WORKER_GROUP, count, Duration.ofSeconds(90));
    }

    private static Results.Quiet quiet(Map<String, Long> pids, EventTap tap, Path state, Duration over) {
        ProcStats.Reading before = ProcStats.read(pids);
        pause(over);
        ProcStats.Reading after = ProcStats.read(pids);
        return new Results.Quiet(ProcStats.between(before, after), after, tap.runsEnded(), tap.runsFailed(),
                ProcStats.diskUsage(state.resolve("scheduler-state")));
    }

    private int orDefault(Integer given, int full, int quickValue) {
        return given != null ? given : quick ? quickValue : full;
    }

    private static void describeMachine(Results results) {
        results.machine.put("cores", Integer.toString(ProcStats.CORES));
        results.machine.put("memory", memoryTotal());
        results.machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        results.machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }

    /** The Kafka settings the packaged services were built with, read from their jars, and the options given here. */
    private void describeSettings(Path home, LocalStack stack, Results results) {
        Properties scheduler = packagedConfig(home, LocalStack.SCHEDULER);
        Properties worker = packagedConfig(home, LocalStack.WORKER);
        for (String key : List.of("kafka-streams.processing.guarantee", "kafka-streams.commit.interval.ms", "kafka-streams.poll.ms",
                "kafka-streams.consumer.fetch.max.wait.ms", "kafka-streams.producer.linger.ms", "stagecoach.timer-resolution")) {
            results.settings.put("scheduler " + key, scheduler.getProperty(key, "(default)"));
        }
        for (String key : List.of("stagecoach.command-consumer.fetch.max.wait.ms",
                "mp.messaging.outgoing.stage-results.acks", "mp.messaging.outgoing.stage-results.linger.ms",
                "stagecoach.worker.max-concurrency")) {
            results.settings.put("worker " + key, worker.getProperty(key, "(default)"));
        }
        results.settings.put("scheduler JVM options", jvmOptions(stack.process(LocalStack.SCHEDULER)));
        results.settings.put("worker JVM options", jvmOptions(stack.process(LocalStack.WORKER)));
        results.settings.put("floor consumers' fetch.max.wait.ms", Integer.toString(floorFetchMaxWaitMs));
        results.settings.put("topics", "command topic 8 partitions, run topics 4 (as LocalStack creates them)");
    }

    /** The options a service process was started with, minus the ports, addresses and directories LocalStack picks. */
    private static String jvmOptions(Process process) {
        List<String> options = new ArrayList<>();
        for (String arg : process.info().arguments().orElse(new String[0])) {
            if (arg.equals("-jar")) {
                break;
            }
            if (!arg.matches("-D(quarkus\\.http\\.port|kafka\\.bootstrap\\.servers|kafka-streams\\.state\\.dir|stagecoach\\.worker\\.(work-dir|id))=.*")) {
                options.add(arg);
            }
        }
        return "`" + String.join(" ", options) + "`";
    }

    private static Properties packagedConfig(Path home, String module) {
        Properties properties = new Properties();
        Path app = home.resolve(module).resolve("target/quarkus-app/app");
        try (Stream<Path> jars = Files.list(app)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    var entry = zip.getEntry("application.properties");
                    if (entry != null) {
                        try (InputStream in = zip.getInputStream(entry)) {
                            properties.load(in);
                        }
                    }
                }
            }
        } catch (IOException e) {
            properties.setProperty("unreadable", e.toString());
        }
        return properties;
    }

    private static String memoryTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.substring(9).trim().split("\\s+")[0]);
                    return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return "unknown";
    }

    /** Stops the whole bench if it runs far longer than it ever should; the shutdown hook stops the stack. */
    private static void startWatchdog() {
        Thread watchdog = new Thread(() -> {
            pause(GIVE_UP_AFTER);
            System.err.println("the bench ran for " + GIVE_UP_AFTER.toMinutes() + " minutes, far longer than it should; giving up");
            System.exit(3);
        }, "bench-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    static void pause(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted");
            }
        }
    }

    private static void progress(long began, String what) {
        System.err.printf("[bench %5.1f s] %s%n", (System.nanoTime() - began) / 1e9, what);
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
