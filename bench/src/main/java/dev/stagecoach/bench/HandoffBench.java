package dev.stagecoach.bench;

import java.time.Duration;
import java.util.UUID;

/**
 * Hand-off latency: runs of a sequential pipeline of {@code noop} stages, one run at a time,
 * so nothing queues. A hand-off is the next stage's STARTED minus this stage's FINISHED, both
 * stamped by the worker (same host, same clock): from the moment the worker sends the finish,
 * through the engine, to the moment a worker has the next command in hand.
 */
final class HandoffBench {

    /** Where the time of a hand-off goes, hop by hop (needs the {@link CommandProbe}). */
    record Breakdown(Samples toEngine, Samples append, Samples commit, Samples toWorker, Samples total) {
    }

    record Handoff(RunRecorder.Handoffs handoffs, Samples admission, int runs, int stages, int failedRuns, Breakdown breakdown) {
    }

    /** As the worker's consumer has it. */
    static final int PROBE_FETCH_MAX_WAIT_MS = 10;
    private static final Duration RUN_WITHIN = Duration.ofSeconds(60);

    private final BenchKafka kafka;
    private final EventTap tap;
    private final int stages;

    HandoffBench(BenchKafka kafka, EventTap tap, int stages) {
        this.kafka = kafka;
        this.tap = tap;
        this.stages = stages;
    }

    /** @param probed with the command probe watching, for the breakdown (it adds two consumers to the load) */
    Handoff measure(int runs, boolean probed) {
        RunRecorder recorder = new RunRecorder(BenchPipelines.HANDOFF, stages);
        CommandProbe probe = probed ? new CommandProbe(kafka, PROBE_FETCH_MAX_WAIT_MS) : null;
        tap.listen(recorder);
        int failed = 0;
        try {
            String batch = UUID.randomUUID().toString().substring(0, 8);
            for (int i = 0; i < runs; i++) {
                RunRecorder.Run run = recorder.start(kafka, "handoff-" + batch + "-" + i);
                kafka.flush();
                if (!run.awaitEnd(RUN_WITHIN)) {
                    tap.check();
                    throw new IllegalStateException("run " + run.id + " did not end within " + RUN_WITHIN.toSeconds()
                            + " s (" + run.stagesFinished() + " of " + stages + " stages finished)");
                }
                if (!"RUN_SUCCEEDED".equals(run.end)) {
                    failed++;
                }
            }
            tap.sync();
        } finally {
            tap.listen(null);
            if (probe != null) {
                probe.close();
            }
        }
        Samples admission = new Samples();
        for (RunRecorder.Run run : recorder.runs()) {
            if (run.startedAt[1] > 0) {
                admission.add(run.startedAt[1] - run.requestedAt);
            }
        }
        return new Handoff(recorder.handoffs(0, Long.MAX_VALUE), admission, runs, stages, failed,
                probe == null ? null : breakdown(recorder, probe));
    }

    private Breakdown breakdown(RunRecorder recorder, CommandProbe probe) {
        Breakdown b = new Breakdown(new Samples(), new Samples(), new Samples(), new Samples(), new Samples());
        for (RunRecorder.Run run : recorder.runs()) {
            for (int i = 1; i < stages; i++) {
                String next = run.attemptIds[i + 1];
                CommandProbe.Seen seen = next == null ? null : probe.seen(next);
                if (seen == null || run.finishedAt[i] == 0 || seen.appendedSeenAt < 0 || seen.committedSeenAt < 0) {
                    continue;
                }
                b.toEngine().add(seen.issuedAt - run.finishedAt[i]);
                b.append().add(seen.appendedSeenAt - seen.issuedAt);
                b.commit().add(seen.committedSeenAt - seen.appendedSeenAt);
                b.toWorker().add(run.startedAt[i + 1] - seen.committedSeenAt);
                b.total().add(run.startedAt[i + 1] - run.finishedAt[i]);
            }
        }
        return b;
    }
}
