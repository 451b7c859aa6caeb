package dev.stagecoach.scheduler.observe;

import dev.stagecoach.events.LogBatch;
import io.smallrye.mutiny.Multi;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lines every stage attempt printed, as workers write them to the logs topic: the newest
 * {@code linesPerAttempt} of each attempt, with a count of the older ones dropped. An attempt's
 * lines are kept as long as its run is (the catalog tells when the engine forgets a run). A
 * batch that arrives twice (a worker's producer retried it) adds nothing: lines are numbered
 * within their attempt, and a number seen before is skipped.
 */
public final class LogArchive {

    public record Line(long number, String text) {
    }

    /** What is kept of one attempt's output. */
    public record AttemptLog(String runId, String stage, int attempt, long dropped, List<Line> lines) {
    }

    /** Lines as they arrive, for followers, with how many older lines of the attempt were dropped by then. */
    public record Chunk(String runId, String stage, int attempt, long dropped, List<Line> lines) {
    }

    private static final class Kept {
        final String stage;
        final int attempt;
        final ArrayDeque<Line> lines = new ArrayDeque<>();
        long dropped;
        long last;

        Kept(String stage, int attempt) {
            this.stage = stage;
            this.attempt = attempt;
        }

        AttemptLog view(String runId) {
            return new AttemptLog(runId, stage, attempt, dropped, List.copyOf(lines));
        }
    }

    private final int linesPerAttempt;
    /** Run id, then attempt id, in the order attempts first printed. */
    private final Map<String, Map<String, Kept>> runs = new HashMap<>();
    private final Subscribers<Chunk> followers = new Subscribers<>();

    public LogArchive(int linesPerAttempt) {
        if (linesPerAttempt < 1) {
            throw new IllegalArgumentException("lines kept per attempt must be at least 1, not " + linesPerAttempt);
        }
        this.linesPerAttempt = linesPerAttempt;
    }

    synchronized void read(LogBatch batch) {
        Kept kept = runs.computeIfAbsent(batch.getRunId(), run -> new LinkedHashMap<>())
                .computeIfAbsent(batch.getAttemptId(), id -> new Kept(batch.getStage(), attemptNumber(id)));
        List<Line> added = new ArrayList<>();
        long number = batch.getFirstLine();
        for (String text : batch.getLines()) {
            if (number > kept.last) {
                Line line = new Line(number, text);
                kept.lines.addLast(line);
                kept.last = number;
                added.add(line);
                if (kept.lines.size() > linesPerAttempt) {
                    kept.lines.removeFirst();
                    kept.dropped++;
                }
            }
            number++;
        }
        if (!added.isEmpty()) {
            followers.publish(new Chunk(batch.getRunId(), kept.stage, kept.attempt, kept.dropped, List.copyOf(added)));
        }
    }

    /** The attempt of {@code stage} numbered {@code attempt}, or its latest with null. */
    public synchronized Optional<AttemptLog> attempt(String runId, String stage, Integer attempt) {
        return attemptsOf(runId, stage).stream()
                .filter(kept -> attempt == null || kept.attempt == attempt)
                .max(Comparator.comparingInt(kept -> kept.attempt))
                .map(kept -> kept.view(runId));
    }

    /** Every attempt of the run that printed something (of {@code stage} only, unless it is null), in the order they began. */
    public synchronized List<AttemptLog> attempts(String runId, String stage) {
        return attemptsOf(runId, stage).stream().map(kept -> kept.view(runId)).toList();
    }

    /**
     * The lines of the run's attempts (of {@code stage} only, unless it is null): first what is
     * kept, then each line as it arrives. Nothing is missed or repeated between the two.
     */
    public Multi<Chunk> follow(String runId, String stage) {
        return Multi.createFrom().emitter(emitter -> {
            // Under the lock batches are read in: each one is either in what is kept or arrives afterwards.
            synchronized (this) {
                attemptsOf(runId, stage).stream().filter(k -> !k.lines.isEmpty())
                        .map(k -> new Chunk(runId, k.stage, k.attempt, k.dropped, List.copyOf(k.lines))).forEach(emitter::emit);
                Runnable unsubscribe = followers.subscribe(chunk -> chunk.runId().equals(runId)
                        && (stage == null || chunk.stage().equals(stage)), emitter::emit);
                emitter.onTermination(unsubscribe);
            }
        });
    }

    synchronized void forget(String runId) {
        runs.remove(runId);
    }

    private List<Kept> attemptsOf(String runId, String stage) {
        return runs.getOrDefault(runId, Map.of()).values().stream()
                .filter(kept -> stage == null || kept.stage.equals(stage)).toList();
    }

    /** Attempt ids end with the attempt's number: {@code <run>/<stage>/<number>}. */
    static int attemptNumber(String attemptId) {
        try {
            return Integer.parseInt(attemptId.substring(attemptId.lastIndexOf('/') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
