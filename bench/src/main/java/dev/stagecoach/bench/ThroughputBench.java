package dev.stagecoach.bench;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throughput: a closed loop keeps a fixed number of runs of a sequential noop pipeline in
 * flight (a new run starts whenever one ends), and counts stage executions that finish,
 * by the worker's own timestamps, within a window after a warm-up.
 */
final class ThroughputBench {

    record Phase(int workers, int inFlight, long executions, double windowSeconds, double rate,
                 double slowestSecond, double fastestSecond, RunRecorder.Handoffs handoffs, long runsEnded, long runsFailed,
                 boolean drained, ProcStats.CpuShare cpu, ProcStats.Reading atEnd, Map<String, Long> logEntries) {
    }

    private static final Duration DRAIN_WITHIN = Duration.ofSeconds(60);

    private final BenchKafka kafka;
    private final EventTap tap;
    private final int stages;

    ThroughputBench(BenchKafka kafka, EventTap tap, int stages) {
        this.kafka = kafka;
        this.tap = tap;
        this.stages = stages;
    }

    Phase measure(int workers, int inFlight, Duration warmup, Duration window, Map<String, Long> pids) {
        ClosedLoop load = new ClosedLoop(BenchPipelines.THROUGHPUT, stages, "tp" + workers);
        tap.listen(load.recorder);
        ProcStats.Reading before;
        ProcStats.Reading after;
        long from;
        long to;
        boolean drained;
        Map<String, Long> logEntries = new java.util.TreeMap<>();
        try {
            load.start(inFlight);
            Bench.pause(warmup);
            Map<String, Long> offsetsBefore = kafka.endOffsets();
            from = System.currentTimeMillis();
            before = ProcStats.read(pids);
            Bench.pause(window);
            to = System.currentTimeMillis();
            after = ProcStats.read(pids);
            Map<String, Long> offsetsAfter = kafka.endOffsets();
            offsetsAfter.forEach((topic, end) -> logEntries.put(topic, end - offsetsBefore.getOrDefault(topic, 0L)));
            drained = load.stopAndDrain(DRAIN_WITHIN);
            tap.sync();
        } finally {
            tap.listen(null);
        }
        int seconds = (int) ((to - from) / 1000);
        long[] perSecond = new long[Math.max(seconds, 1)];
        long executions = 0;
        for (RunRecorder.Run run : load.recorder.runs()) {
            for (int i = 1; i <= stages; i++) {
                long at = run.finishedAt[i];
                if (at >= from && at < to) {
                    executions++;
                    int bucket = (int) ((at - from) / 1000);
                    if (bucket < perSecond.length) {
                        perSecond[bucket]++;
                    }
                }
            }
        }
        long slowest = Long.MAX_VALUE;
        long fastest = 0;
        for (long count : perSecond) {
            slowest = Math.min(slowest, count);
            fastest = Math.max(fastest, count);
        }
        double windowSeconds = (to - from) / 1000.0;
        long failed = load.recorder.runs().stream().filter(r -> r.end != null && !r.end.equals("RUN_SUCCEEDED")).count();
        return new Phase(workers, inFlight, executions, windowSeconds, executions / windowSeconds, slowest, fastest,
                load.recorder.handoffs(from, to), load.ended.get(), failed, drained, ProcStats.between(before, after), after, logEntries);
    }

    /** Load that is not measured: lets the services' JIT compilers finish before anything is timed. */
    void warmUp(int inFlight, Duration duration) {
        ClosedLoop load = new ClosedLoop(BenchPipelines.THROUGHPUT, stages, "warmup");
        tap.listen(load.recorder);
        try {
            load.start(inFlight);
            Bench.pause(duration);
            load.stopAndDrain(DRAIN_WITHIN);
            tap.sync();
        } finally {
            tap.listen(null);
        }
    }

    /**
     * Runs the pipeline in a closed loop until {@code runsEndedTarget} runs have ended since
     * the bench started, so that the engine holds that many finished runs in its state.
     */
    boolean fill(String pipeline, int pipelineStages, long runsEndedTarget, int inFlight, Duration within) {
        ClosedLoop load = new ClosedLoop(pipeline, pipelineStages, "fill");
        tap.listen(load.recorder);
        try {
            load.start((int) Math.min(inFlight, Math.max(0, runsEndedTarget - tap.runsEnded())));
            long giveUp = System.nanoTime() + within.toNanos();
            while (tap.runsEnded() + load.inFlight() < runsEndedTarget && System.nanoTime() < giveUp) {
                tap.check();
                Bench.pause(Duration.ofMillis(200));
            }
            load.stopAndDrain(DRAIN_WITHIN);
            tap.sync();
            return tap.runsEnded() >= runsEndedTarget;
        } finally {
            tap.listen(null);
        }
    }

    /** Starts a run whenever one ends, while it is generating. */
    private final class ClosedLoop {
        final RunRecorder recorder;
        final AtomicInteger ended = new AtomicInteger();
        private final AtomicInteger started = new AtomicInteger();
        private final String prefix;
        private volatile boolean generating = true;

        ClosedLoop(String pipeline, int pipelineStages, String name) {
            this.prefix = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
            this.recorder = new RunRecorder(pipeline, pipelineStages, run -> {
                ended.incrementAndGet();
                if (generating) {
                    startOne();
                }
            });
        }

        void start(int runs) {
            for (int i = 0; i < runs; i++) {
                startOne();
            }
            kafka.flush();
        }

        int inFlight() {
            return started.get() - ended.get();
        }

        boolean stopAndDrain(Duration within) {
            generating = false;
            long giveUp = System.nanoTime() + within.toNanos();
            while (inFlight() > 0 && System.nanoTime() < giveUp) {
                tap.check();
                Bench.pause(Duration.ofMillis(100));
            }
            return inFlight() == 0;
        }

        private void startOne() {
            recorder.start(kafka, prefix + started.incrementAndGet());
        }
    }
}
