package dev.stagecoach.scheduler.observe;

import dev.stagecoach.events.AuditEntry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The newest entries of the audit topic, for {@code GET /api/audit}. Fed by one thread (the
 * topic's reader), read by many; older entries stay on the topic, where a consumer of the
 * topic reads the whole trail. An action written twice (a start retried with its
 * Idempotency-Key) is kept once: the first record of each entry id.
 */
public final class AuditLog {

    private final int kept;
    private final Deque<AuditEntry> entries = new ArrayDeque<>();
    // The ids of the kept entries: a repeat of an entry already dropped from memory shows again,
    // which takes a retry arriving more than entries-kept actions after its first attempt.
    private final Set<String> ids = new HashSet<>();

    public AuditLog(int kept) {
        this.kept = kept;
    }

    synchronized void read(AuditEntry entry) {
        if (entry == null || (entry.getId() != null && !ids.add(entry.getId()))) {
            return;
        }
        entries.addLast(entry);
        if (entries.size() > kept) {
            ids.remove(entries.removeFirst().getId());
        }
    }

    /** Newest first: entries at or after {@code since} (null: any), of {@code pipeline} (null: any), at most {@code limit}. */
    public List<AuditEntry> newest(Instant since, String pipeline, int limit) {
        return newest(since, pipeline, any -> true, limit);
    }

    /**
     * As {@link #newest(Instant, String, int)}, of the pipelines {@code reachable} accepts only:
     * the limit counts the entries the caller may see.
     */
    public synchronized List<AuditEntry> newest(Instant since, String pipeline, Predicate<String> reachable, int limit) {
        List<AuditEntry> found = new ArrayList<>();
        for (Iterator<AuditEntry> newestFirst = entries.descendingIterator(); newestFirst.hasNext() && found.size() < limit; ) {
            AuditEntry entry = newestFirst.next();
            if ((since == null || !entry.getAt().isBefore(since)) && (pipeline == null || pipeline.equals(entry.getPipeline()))
                    && reachable.test(entry.getPipeline())) {
                found.add(entry);
            }
        }
        return found;
    }
}
