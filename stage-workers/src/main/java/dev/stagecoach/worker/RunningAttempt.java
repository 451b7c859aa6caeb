package dev.stagecoach.worker;

import dev.stagecoach.events.LogBatch;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.pipeline.Secrets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One attempt while it runs on this worker: its output (masked, batched to the logs topic,
 * last lines kept for the result) and whether it was asked to stop.
 */
public final class RunningAttempt {

    private static final int BATCH_LINES = 100;

    private final StageCommand command;
    private final ResultSink sink;
    private final Clock clock;
    private final int tailLines;
    private final Deque<String> tail = new ArrayDeque<>();
    private final List<String> pending = new ArrayList<>();
    private long linesSent;
    private volatile boolean cancelled;
    private volatile Runnable onCancel = () -> { };

    RunningAttempt(StageCommand command, ResultSink sink, Clock clock, int tailLines) {
        this.command = command;
        this.sink = sink;
        this.clock = clock;
        this.tailLines = tailLines;
    }

    public StageCommand command() {
        return command;
    }

    public synchronized void line(String raw) {
        String masked = Secrets.mask(raw, command.getSecretValues());
        tail.addLast(masked);
        if (tail.size() > tailLines) {
            tail.removeFirst();
        }
        pending.add(masked);
        if (pending.size() >= BATCH_LINES) {
            flush();
        }
    }

    public synchronized List<String> tail() {
        return List.copyOf(tail);
    }

    /** Sends the lines not sent yet; called per batch, on every heartbeat and at the end. */
    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        sink.logs(LogBatch.newBuilder()
                .setRunId(command.getRunId()).setStage(command.getStage()).setAttemptId(command.getAttemptId())
                .setFirstLine(linesSent + 1).setLines(List.copyOf(pending)).setAt(clock.instant()).build());
        linesSent += pending.size();
        pending.clear();
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** What to do when a cancel arrives, e.g. kill the process tree. */
    public void onCancel(Runnable action) {
        this.onCancel = action;
        if (cancelled) {
            action.run();
        }
    }

    void cancel() {
        cancelled = true;
        onCancel.run();
    }
}
