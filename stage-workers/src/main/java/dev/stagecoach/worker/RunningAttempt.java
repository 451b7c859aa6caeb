package dev.stagecoach.worker;

import dev.stagecoach.events.LogBatch;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.pipeline.Secrets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private final Map<String, String> outputs = new LinkedHashMap<>();
    private final List<String> pending = new ArrayList<>();
    private long linesSent;
    private volatile boolean cancelled;
    /** Set once the attempt's FINISHED is to be sent; guarded by this. */
    private boolean ended;
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
        WorkflowCommand.parse(raw).ifPresent(this::record);
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

    public synchronized Map<String, Double> metrics() {
        return Map.copyOf(metrics);
    }

    public synchronized Map<String, String> outputs() {
        return Map.copyOf(outputs);
    }

    private void record(WorkflowCommand command) {
        if (command.kind() == WorkflowCommand.Kind.METRIC) {
            try {
                metrics.put(command.name(), Double.parseDouble(command.value().trim()));
            } catch (NumberFormatException e) {
                pending.add("[stagecoach] ignored metric " + command.name() + ": \"" + command.value() + "\" is not a number");
            }
        } else {
            outputs.put(command.name(), Secrets.mask(command.value(), this.command.getSecretValues()));
        }
    }

    /** Sends the lines not sent yet; called per batch, every half second while the stage runs, and at the end. */
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

    /** No heartbeat may follow the attempt's end: a heartbeat under way when it ends is sent first, a later one not at all. */
    synchronized void end() {
        ended = true;
    }

    synchronized boolean ended() {
        return ended;
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
