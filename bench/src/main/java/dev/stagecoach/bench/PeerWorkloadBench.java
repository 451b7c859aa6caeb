package dev.stagecoach.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The workload orchestrators are compared on, so that the comparison can be repeated: runs of
 * five sequential no-op steps, first 100 one at a time (the gap between two steps, and a run's
 * latency as its client sees it), then 500 started at once (runs per second until the last ends).
 * The same workload ran against Temporal's Java test server in its own JVM over gRPC gave a step
 * gap p50 of 3.9 ms, a run p50 of 30 ms and 67 runs/s on this machine (issue 15).
 */
final class PeerWorkloadBench {

    static final String PIPELINE = "bench-peers";
    static final int STEPS = 5;
    private static final Duration RUN_WITHIN = Duration.ofSeconds(60);

    /**
     * @param stepGap the next step's STARTED minus the previous step's FINISHED, as the worker stamps them
     * @param runLatency from the request to the moment a read_committed client could read the run's end
     * @param burstTook from the first request of the burst to the moment the bench read the last run's end
     */
    record Peers(Samples stepGap, Samples runLatency, int oneAtATime, int burst, Duration burstTook, int failed) {

        double runsPerSecond() {
            return burst * 1000.0 / Math.max(1, burstTook.toMillis());
        }
    }

    private final BenchKafka kafka;
    private final EventTap tap;

    PeerWorkloadBench(BenchKafka kafka, EventTap tap) {
        this.kafka = kafka;
        this.tap = tap;
    }

    Peers measure(int oneAtATime, int burst) {
        try (RunEndWatch ends = new RunEndWatch(kafka)) {
            return measure(oneAtATime, burst, ends);
        }
    }

    private Peers measure(int oneAtATime, int burst, RunEndWatch ends) {
        String batch = UUID.randomUUID().toString().substring(0, 8);
        RunRecorder sequential = new RunRecorder(PIPELINE, STEPS);
        Samples runLatency = new Samples();
        int failed = 0;
        tap.listen(sequential);
        try {
            for (int i = 0; i < oneAtATime; i++) {
                RunRecorder.Run run = sequential.start(kafka, "peers-" + batch + "-" + i);
                kafka.flush();
                awaitEnd(run);
                runLatency.add(ends.endedAt(run.id, RUN_WITHIN) - run.requestedAt);
                failed += "RUN_SUCCEEDED".equals(run.end) ? 0 : 1;
            }
            tap.sync();
        } finally {
            tap.listen(null);
        }

        RunRecorder burstRecorder = new RunRecorder(PIPELINE, STEPS);
        tap.listen(burstRecorder);
        long began = System.currentTimeMillis();
        long lastEnd = began;
        try {
            List<RunRecorder.Run> runs = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                runs.add(burstRecorder.start(kafka, "peers-burst-" + batch + "-" + i));
            }
            kafka.flush();
            for (RunRecorder.Run run : runs) {
                awaitEnd(run);
                lastEnd = Math.max(lastEnd, ends.endedAt(run.id, RUN_WITHIN));
                failed += "RUN_SUCCEEDED".equals(run.end) ? 0 : 1;
            }
        } finally {
            tap.listen(null);
        }
        return new Peers(sequential.handoffs(0, Long.MAX_VALUE).total(), runLatency, oneAtATime, burst,
                Duration.ofMillis(lastEnd - began), failed);
    }

    private void awaitEnd(RunRecorder.Run run) {
        if (!run.awaitEnd(RUN_WITHIN)) {
            tap.check();
            throw new IllegalStateException("run " + run.id + " did not end within " + RUN_WITHIN.toSeconds() + " s ("
                    + run.stagesFinished() + " of " + STEPS + " steps finished)");
        }
    }
}
