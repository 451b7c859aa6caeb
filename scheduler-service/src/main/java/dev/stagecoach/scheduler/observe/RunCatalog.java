package dev.stagecoach.scheduler.observe;

import dev.stagecoach.events.RunSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Every run the runs topic holds, newest first, for lists and for the history that estimates
 * how long a run still takes. Fed by one thread (the topic's reader), read by many. A run the
 * engine forgot (a tombstone at the end of its retention) leaves the catalog, and
 * {@code forgotten} hears of it.
 */
public final class RunCatalog {

    private final ConcurrentSkipListMap<RunQuery.Cursor, RunSummary> byAge = new ConcurrentSkipListMap<>();
    private final Map<String, RunSummary> byId = new ConcurrentHashMap<>();
    private final Subscribers<RunSummary> changes = new Subscribers<>();
    private final Consumer<String> forgotten;

    public RunCatalog(Consumer<String> forgotten) {
        this.forgotten = forgotten;
    }

    void read(String runId, RunSnapshot snapshot) {
        if (runId == null) {
            return;
        }
        RunSummary before = snapshot == null ? byId.remove(runId) : byId.put(runId, RunSummary.of(snapshot));
        if (before != null) {
            byAge.remove(RunQuery.Cursor.of(before));
        }
        if (snapshot == null) {
            forgotten.accept(runId);
            return;
        }
        RunSummary now = byId.get(runId);
        byAge.put(RunQuery.Cursor.of(now), now);
        changes.publish(now);
    }

    public Optional<RunSummary> run(String runId) {
        return Optional.ofNullable(byId.get(runId));
    }

    public RunPage page(RunQuery query) {
        return page(query, run -> true);
    }

    /** A page of the runs {@code visible} lets the caller see: a run it hides neither fills a page nor ends one. */
    public RunPage page(RunQuery query, Predicate<RunSummary> visible) {
        var candidates = query.after() == null ? byAge.values() : byAge.tailMap(query.after(), false).values();
        List<RunSummary> found = new ArrayList<>(query.limit());
        boolean more = false;
        for (RunSummary run : candidates) {
            if (!query.matches(run) || !visible.test(run)) {
                continue;
            }
            if (found.size() == query.limit()) {
                more = true;
                break;
            }
            found.add(run);
        }
        String next = more ? RunQuery.Cursor.of(found.get(found.size() - 1)).encode() : null;
        return new RunPage(List.copyOf(found), next);
    }

    /** The newest run of {@code pipeline}, if the catalog holds one. */
    public Optional<RunSummary> latest(String pipeline) {
        return byAge.values().stream().filter(run -> run.pipeline().equals(pipeline)).findFirst();
    }

    /** Up to {@code count} of the newest runs of {@code pipeline} that succeeded, newest first. */
    public List<RunSummary> recentSuccesses(String pipeline, int count) {
        return byAge.values().stream()
                .filter(run -> run.pipeline().equals(pipeline) && "SUCCEEDED".equals(run.status()))
                .limit(count).toList();
    }

    /**
     * Calls {@code then} once, when the catalog sees run {@code runId} ended (at once if it has).
     *
     * @return call it to stop waiting
     */
    public Runnable whenEnded(String runId, Runnable then) {
        java.util.concurrent.atomic.AtomicBoolean called = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable once = () -> {
            if (called.compareAndSet(false, true)) {
                then.run();
            }
        };
        Runnable unsubscribe = changes.subscribe(run -> run.runId().equals(runId) && run.ended(), run -> once.run());
        if (run(runId).filter(RunSummary::ended).isPresent()) {
            once.run();
        }
        return unsubscribe;
    }

    public int size() {
        return byId.size();
    }
}
