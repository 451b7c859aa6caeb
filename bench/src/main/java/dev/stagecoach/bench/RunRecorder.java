package dev.stagecoach.bench;

import dev.stagecoach.events.ResultType;
import dev.stagecoach.events.RunEvent;
import dev.stagecoach.events.StageResult;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What happened to the bench's runs of one measurement, from the workers' results and the
 * engine's run events: per stage when its attempt started and finished (the worker's clock,
 * milliseconds), which worker ran it, and how the run ended.
 */
final class RunRecorder implements EventTap.Listener {

    static final class Run {
        final String id;
        final long requestedAt;
        /** Indexed by stage position from 1; 0 until seen. */
        final long[] startedAt;
        final long[] finishedAt;
        /** When the engine decided to dispatch the stage (its STAGE_DISPATCHED run event). */
        final long[] dispatchedAt;
        final String[] attemptIds;
        final Set<String> workers = ConcurrentHashMap.newKeySet();
        private final CountDownLatch ended = new CountDownLatch(1);
        volatile String end;
        volatile long endSeenAt;

        Run(String id, int stages, long requestedAt) {
            this.id = id;
            this.requestedAt = requestedAt;
            this.startedAt = new long[stages + 1];
            this.finishedAt = new long[stages + 1];
            this.dispatchedAt = new long[stages + 1];
            this.attemptIds = new String[stages + 1];
        }

        boolean awaitEnd(Duration within) {
            try {
                return ended.await(within.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        boolean hasEnded() {
            return ended.getCount() == 0;
        }

        int stagesFinished() {
            int finished = 0;
            for (int i = 1; i < finishedAt.length; i++) {
                if (finishedAt[i] > 0) {
                    finished++;
                }
            }
            return finished;
        }
    }

    private final String pipeline;
    private final int stages;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Consumer<Run> onEnd;

    /** @param onEnd called on the tap's thread when a run ends, for closed-loop load */
    RunRecorder(String pipeline, int stages, Consumer<Run> onEnd) {
        this.pipeline = pipeline;
        this.stages = stages;
        this.onEnd = onEnd;
    }

    RunRecorder(String pipeline, int stages) {
        this(pipeline, stages, run -> { });
    }

    /** Asks the engine for a run and starts recording it. */
    Run start(BenchKafka kafka, String runId) {
        Run run = new Run(runId, stages, System.currentTimeMillis());
        runs.put(runId, run);
        kafka.requestRun(pipeline, runId);
        return run;
    }

    Collection<Run> runs() {
        return runs.values();
    }

    @Override
    public void onResult(StageResult result) {
        Run run = runs.get(result.getRunId());
        if (run == null || result.getAttempt() != 1) {
            return;
        }
        int position = BenchPipelines.position(result.getStage());
        long at = result.getAt().toEpochMilli();
        if (result.getType() == ResultType.STARTED && run.startedAt[position] == 0) {
            run.startedAt[position] = at;
            run.attemptIds[position] = result.getAttemptId();
            run.workers.add(result.getWorker());
        } else if (result.getType() == ResultType.FINISHED && run.finishedAt[position] == 0) {
            run.finishedAt[position] = at;
        }
    }

    @Override
    public void onRunEvent(RunEvent event) {
        Run run = runs.get(event.getRunId());
        if (run == null) {
            return;
        }
        if (event.getType().equals("STAGE_DISPATCHED") && event.getStage() != null && Integer.valueOf(1).equals(event.getAttempt())) {
            int position = BenchPipelines.position(event.getStage());
            if (run.dispatchedAt[position] == 0) {
                run.dispatchedAt[position] = event.getAt().toEpochMilli();
            }
        }
        if (EventTap.RUN_ENDS.contains(event.getType()) && !run.hasEnded()) {
            run.end = event.getType();
            run.endSeenAt = System.currentTimeMillis();
            run.ended.countDown();
            onEnd.accept(run);
        }
    }

    /**
     * Hand-offs whose finish lies in [from, to): the next stage's start minus this stage's
     * finish, split where the engine decided to dispatch the next stage.
     */
    Handoffs handoffs(long from, long to) {
        Handoffs handoffs = new Handoffs(new Samples(), new Samples(), new Samples());
        for (Run run : runs.values()) {
            for (int i = 1; i < stages; i++) {
                long finished = run.finishedAt[i];
                long next = run.startedAt[i + 1];
                if (finished > 0 && next > 0 && finished >= from && finished < to) {
                    handoffs.total().add(next - finished);
                    long decided = run.dispatchedAt[i + 1];
                    if (decided > 0) {
                        handoffs.toDecision().add(decided - finished);
                        handoffs.afterDecision().add(next - decided);
                    }
                }
            }
        }
        return handoffs;
    }

    /**
     * @param toDecision from the worker's FINISHED to the engine's decision (STAGE_DISPATCHED):
     *                   the result's produce, waiting in the results topic, the engine's processing
     * @param afterDecision from the decision to the worker's STARTED: the transaction commit,
     *                      waiting in the commands topic, the worker's fetch and dispatch
     */
    record Handoffs(Samples total, Samples toDecision, Samples afterDecision) {
    }
}
