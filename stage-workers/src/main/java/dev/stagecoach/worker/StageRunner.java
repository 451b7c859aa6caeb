package dev.stagecoach.worker;

import dev.stagecoach.events.Outcome;
import dev.stagecoach.events.ResultType;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.StageResult;
import dev.stagecoach.secrets.SealedParameters;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Executes stage commands: reports the start, heartbeats while the stage works, and reports
 * exactly one finish per attempt. A command delivered twice to this worker runs once.
 */
public final class StageRunner {

    private static final Logger LOG = Logger.getLogger(StageRunner.class);
    private static final int REMEMBERED_ATTEMPTS = 10_000;

    private final Map<String, StageKind> kinds;
    private final CommandSecrets secrets;
    private final ResultSink sink;
    private final Clock clock;
    private final String workerId;
    private static final java.time.Duration LINES_SENT_WITHIN = java.time.Duration.ofMillis(500);

    private final ScheduledExecutorService heartbeats;
    private final int tailLines;
    private final Map<String, RunningAttempt> running = new ConcurrentHashMap<>();
    private final Set<String> finished = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_ATTEMPTS;
                }
            }));

    public StageRunner(List<StageKind> kinds, CommandSecrets secrets, ResultSink sink, Clock clock, String workerId,
                       ScheduledExecutorService heartbeats, int tailLines) {
        this.kinds = kinds.stream().collect(Collectors.toMap(StageKind::name, k -> k, (a, b) -> a, TreeMap::new));
        this.secrets = secrets;
        this.sink = sink;
        this.clock = clock;
        this.workerId = workerId;
        this.heartbeats = heartbeats;
        this.tailLines = tailLines;
    }

    /** Runs the attempt to its end; an attempt that already ran or runs here is not run again. */
    public void execute(StageCommand received) {
        String attemptId = received.getAttemptId();
        StageCommand command = received;
        String unopenable = null;
        try {
            command = secrets.open(received);
        } catch (SealedParameters.UnopenableException e) {
            unopenable = e.getMessage();
        }
        RunningAttempt attempt = new RunningAttempt(command, sink, clock, tailLines);
        synchronized (running) {
            if (finished.contains(attemptId) || running.putIfAbsent(attemptId, attempt) != null) {
                LOG.debugf("attempt=%s delivered again or cancelled; not run", attemptId);
                return;
            }
        }
        long startedAt = clock.millis();
        AttemptOutcome outcome;
        ScheduledFuture<?> beat = null;
        ScheduledFuture<?> lines = null;
        try {
            sink.result(result(command, ResultType.STARTED).build());
            beat = heartbeats.scheduleAtFixedRate(() -> heartbeat(attempt),
                    command.getHeartbeatMillis(), command.getHeartbeatMillis(), TimeUnit.MILLISECONDS);
            // People follow a stage's output live (CLI, dashboard): a quiet stage's lines go out within this, not at the next heartbeat.
            lines = heartbeats.scheduleWithFixedDelay(() -> flushLines(attempt), LINES_SENT_WITHIN.toMillis(),
                    LINES_SENT_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            // A secret this worker cannot give the stage fails the attempt, saying what to set; retries may land elsewhere.
            outcome = unopenable != null ? AttemptOutcome.ended(Outcome.FAILED, unopenable, List.of()) : run(command, attempt);
        } finally {
            if (beat != null) {
                beat.cancel(false);
            }
            if (lines != null) {
                lines.cancel(false);
            }
            running.remove(attemptId);
            finished.add(attemptId);
        }
        attempt.end();
        attempt.flush();
        long duration = clock.millis() - startedAt;
        sink.result(result(command, ResultType.FINISHED)
                .setOutcome(outcome.outcome())
                .setExitCode(outcome.exitCode())
                .setDurationMillis(duration)
                .setError(outcome.error())
                .setOutputTail(outcome.outputTail())
                .setMetrics(outcome.metrics())
                .setOutputs(outcome.outputs())
                .setArtifacts(outcome.artifacts())
                .build());
        LOG.infof("run=%s stage=%s attempt=%d outcome=%s exit=%s duration_ms=%d", command.getRunId(), command.getStage(),
                command.getAttempt(), outcome.outcome(), outcome.exitCode(), duration);
    }

    /**
     * Stops the attempt if it runs here. Every worker of the pool hears every cancel, so one that
     * does not run the attempt remembers it, and does not start it should the command reach it later.
     */
    public void cancel(StageCommand command) {
        RunningAttempt attempt;
        synchronized (running) {
            attempt = running.get(command.getAttemptId());
            if (attempt == null) {
                finished.add(command.getAttemptId());
                return;
            }
        }
        LOG.infof("run=%s stage=%s attempt=%d cancel requested", command.getRunId(), command.getStage(), command.getAttempt());
        attempt.cancel();
    }

    public int runningCount() {
        return running.size();
    }

    private AttemptOutcome run(StageCommand command, RunningAttempt attempt) {
        StageKind kind = kinds.get(command.getKind());
        if (kind == null) {
            return AttemptOutcome.ended(Outcome.FAILED, "unknown stage kind \"" + command.getKind()
                    + "\"; this worker runs: " + String.join(", ", kinds.keySet()), List.of());
        }
        try {
            return kind.execute(command, attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(attempt, "the worker was interrupted");
        } catch (Exception e) {
            return failure(attempt, "the worker could not run the stage: " + e);
        }
    }

    private static AttemptOutcome failure(RunningAttempt attempt, String why) {
        return AttemptOutcome.ended(Outcome.FAILED, why, attempt.tail());
    }

    private static void flushLines(RunningAttempt attempt) {
        try {
            attempt.flush();
        } catch (RuntimeException e) {
            LOG.debugf("attempt=%s lines not sent yet: %s", attempt.command().getAttemptId(), e.getMessage());
        }
    }

    private void heartbeat(RunningAttempt attempt) {
        try {
            synchronized (attempt) {
                if (attempt.ended()) {
                    return;
                }
                attempt.flush();
                sink.result(result(attempt.command(), ResultType.HEARTBEAT).build());
            }
        } catch (RuntimeException e) {
            LOG.warnf("attempt=%s heartbeat not sent: %s", attempt.command().getAttemptId(), e.getMessage());
        }
    }

    private StageResult.Builder result(StageCommand command, ResultType type) {
        return StageResult.newBuilder()
                .setRunId(command.getRunId())
                .setStage(command.getStage())
                .setAttempt(command.getAttempt())
                .setAttemptId(command.getAttemptId())
                .setType(type)
                .setWorker(workerId)
                .setAt(clock.instant());
    }
}
