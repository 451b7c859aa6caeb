package dev.stagecoach.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a service's CPU goes during a measurement: a JDK Flight Recorder recording, started
 * and stopped with jcmd in the running process, summarised by thread, by component (a sample
 * counts for every component on its stack) and by the method on top of the stack.
 */
final class Profiler {

    record Share(String name, long samples, double percent) {
    }

    record Profile(String process, String during, Path file, long samples, double gcPercent, List<Share> threads, List<Share> components,
                   List<Share> selfMethods, List<Share> stagecoachMethods, List<Share> nativeMethods) {
    }

    private static final String RECORDING = "bench";

    /** Components a frame may belong to, in the order the report lists them. */
    private static final Map<String, Predicate<String>> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put("Stagecoach code (dev.stagecoach)", c -> c.startsWith("dev.stagecoach."));
        COMPONENTS.put("run state as JSON (RunStateSerde, Jackson)", c -> c.startsWith("com.fasterxml.jackson.")
                || c.endsWith(".RunStateSerde") || c.contains(".RunStateSerde$"));
        COMPONENTS.put("Avro encode/decode", c -> c.startsWith("org.apache.avro."));
        COMPONENTS.put("pipeline YAML and its model (snakeyaml, dev.stagecoach.pipeline)", c -> c.startsWith("org.yaml.")
                || c.startsWith("dev.stagecoach.pipeline."));
        COMPONENTS.put("RocksDB state stores", c -> c.startsWith("org.rocksdb.")
                || c.startsWith("org.apache.kafka.streams.state.internals.RocksDB"));
        COMPONENTS.put("Kafka Streams runtime", c -> c.startsWith("org.apache.kafka.streams."));
        COMPONENTS.put("Kafka producer", c -> c.startsWith("org.apache.kafka.clients.producer."));
        COMPONENTS.put("Kafka consumer", c -> c.startsWith("org.apache.kafka.clients.consumer."));
        COMPONENTS.put("Kafka network client", c -> c.startsWith("org.apache.kafka.common.network.")
                || c.startsWith("org.apache.kafka.clients.NetworkClient"));
        COMPONENTS.put("SmallRye messaging, Mutiny, Vert.x", c -> c.startsWith("io.smallrye.") || c.startsWith("io.vertx.")
                || c.startsWith("io.netty."));
        COMPONENTS.put("logging (JBoss LogManager)", c -> c.startsWith("org.jboss.logmanager.") || c.startsWith("org.jboss.logging."));
    }

    // Threads that wait in native code are sampled too; these frames are waiting, not working.
    private static final Set<String> IDLE_NATIVE = Set.of("sun.nio.ch.EPoll.wait", "sun.nio.ch.Net.poll",
            "jdk.internal.misc.Unsafe.park", "java.lang.Object.wait", "java.lang.Thread.sleep", "sun.nio.ch.Net.accept",
            "java.lang.ProcessHandleImpl.waitForProcessExit0", "sun.nio.ch.SocketDispatcher.read0",
            "java.io.FileInputStream.readBytes", "sun.nio.ch.Net.connect0", "sun.nio.ch.IOUtil.drain");

    private Profiler() {
    }

    static void start(long pid) {
        jcmd(pid, "JFR.start", "name=" + RECORDING, "settings=profile");
    }

    static Path stop(long pid, Path file) {
        jcmd(pid, "JFR.stop", "name=" + RECORDING, "filename=" + file.toAbsolutePath());
        return file;
    }

    static Profile summarize(String process, String during, Path file, Duration window, int top) throws IOException {
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> components = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> ours = new HashMap<>();
        Map<String, Long> natives = new HashMap<>();
        long samples = 0;
        long gcNanos = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String type = event.getEventType().getName();
                if (type.equals("jdk.GarbageCollection")) {
                    gcNanos += event.getDuration().toNanos();
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                if (type.equals("jdk.NativeMethodSample")) {
                    RecordedFrame topFrame = stack.getFrames().get(0);
                    if (!IDLE_NATIVE.contains(topFrame.getMethod().getType().getName() + "." + topFrame.getMethod().getName())) {
                        natives.merge(method(topFrame), 1L, Long::sum);
                    }
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample")) {
                    continue;
                }
                samples++;
                threads.merge(threadGroup(event.getThread("sampledThread").getJavaName()), 1L, Long::sum);
                self.merge(method(stack.getFrames().get(0)), 1L, Long::sum);
                Set<String> seenComponents = new LinkedHashSet<>();
                Set<String> seenMethods = new LinkedHashSet<>();
                for (RecordedFrame frame : stack.getFrames()) {
                    if (!frame.isJavaFrame()) {
                        continue;
                    }
                    String frameType = frame.getMethod().getType().getName();
                    COMPONENTS.forEach((name, test) -> {
                        if (test.test(frameType)) {
                            seenComponents.add(name);
                        }
                    });
                    if (frameType.startsWith("dev.stagecoach.")) {
                        seenMethods.add(method(frame));
                    }
                }
                seenComponents.forEach(c -> components.merge(c, 1L, Long::sum));
                seenMethods.forEach(m -> ours.merge(m, 1L, Long::sum));
            }
        }
        double gcPercent = 100.0 * gcNanos / window.toNanos();
        List<Share> componentShares = new ArrayList<>();
        for (String name : COMPONENTS.keySet()) {
            long count = components.getOrDefault(name, 0L);
            componentShares.add(new Share(name, count, percent(count, samples)));
        }
        return new Profile(process, during, file, samples, gcPercent, top(threads, samples, top), componentShares,
                top(self, samples, top), top(ours, samples, top), top(natives, natives.values().stream().mapToLong(l -> l).sum(), 5));
    }

    /** Thread names without their numbers, so that a pool counts as one. */
    private static String threadGroup(String thread) {
        return thread == null ? "?" : thread.replaceAll("-?\\d+$", "").replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>");
    }

    /** {@code o.a.k.c.p.KafkaProducer.send}: packages by their initials. */
    private static String method(RecordedFrame frame) {
        return shortType(frame.getMethod().getType().getName()) + "." + frame.getMethod().getName();
    }

    private static String shortType(String type) {
        // Lambdas are hidden classes named after their host class plus a number that changes with every run.
        String[] parts = type.replaceAll("\\$\\$Lambda.*", "\\$\\$Lambda").split("\\.");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            out.append(parts[i].charAt(0)).append('.');
        }
        return out.append(parts[parts.length - 1]).toString();
    }

    private static List<Share> top(Map<String, Long> counts, long total, int n) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(n)
                .map(e -> new Share(e.getKey(), e.getValue(), percent(e.getValue(), total)))
                .toList();
    }

    private static double percent(long count, long total) {
        return total == 0 ? 0 : 100.0 * count / total;
    }

    private static void jcmd(long pid, String... command) {
        List<String> args = new ArrayList<>();
        args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        args.add(Long.toString(pid));
        args.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed for process " + pid + ": " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run jcmd: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running jcmd", e);
        }
    }
}
