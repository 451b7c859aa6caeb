package dev.stagecoach.bench;

import java.time.Duration;
import java.util.UUID;

/**
 * Fan-out: one run of one noop stage with {@code parallel: N}, its shards spread over the worker
 * instances within the pipeline's {@code parallel_workers}. Timed from the request to the
 * engine's end of the run.
 */
final class FanoutBench {

    record Fanout(int shards, int parallelWorkers, int workers, boolean ended, String end, double secondsToEnd,
                  double secondsToLastFinish, int stagesFinished, int workersUsed, Duration limit) {
    }

    private final BenchKafka kafka;
    private final EventTap tap;

    FanoutBench(BenchKafka kafka, EventTap tap) {
        this.kafka = kafka;
        this.tap = tap;
    }

    Fanout measure(int shards, int parallelWorkers, int workers, Duration limit) {
        RunRecorder recorder = new RunRecorder(BenchPipelines.FANOUT, shards);
        tap.listen(recorder);
        RunRecorder.Run run;
        boolean ended;
        try {
            run = recorder.start(kafka, "fanout-" + UUID.randomUUID().toString().substring(0, 8));
            kafka.flush();
            ended = run.awaitEnd(limit);
            tap.sync();
        } finally {
            tap.listen(null);
        }
        long lastFinish = 0;
        for (long at : run.finishedAt) {
            lastFinish = Math.max(lastFinish, at);
        }
        return new Fanout(shards, parallelWorkers, workers, ended, run.end,
                ended ? (run.endSeenAt - run.requestedAt) / 1000.0 : Double.NaN,
                lastFinish > 0 ? (lastFinish - run.requestedAt) / 1000.0 : Double.NaN,
                run.stagesFinished(), run.workers.size(), limit);
    }
}
