package dev.stagecoach.scheduler.observe;

import dev.stagecoach.events.AuditEntry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The newest entries of the audit topic, for {@code GET /api/audit}. Fed by one thread (the
 * topic's reader), read by many; older entries stay on the topic, where a consumer of the
 * topic reads the whole trail.
 */
public final class AuditLog {

    private final int kept;
    private final Deque<AuditEntry> entries = new ArrayDeque<>();

    public AuditLog(int kept) {
        this.kept = kept;
    }

    synchronized void read(AuditEntry entry) {
        if (entry == null) {
            return;
        }
        entries.addLast(entry);
        if (entries.size() > kept) {
            entries.removeFirst();
        }
    }

    /** Newest first: entries at or after {@code since} (null: any), of {@code pipeline} (null: any), at most {@code limit}. */
    public synchronized List<AuditEntry> newest(Instant since, String pipeline, int limit) {
        List<AuditEntry> found = new ArrayList<>();
        for (Iterator<AuditEntry> newestFirst = entries.descendingIterator(); newestFirst.hasNext() && found.size() < limit; ) {
            AuditEntry entry = newestFirst.next();
            if ((since == null || !entry.getAt().isBefore(since)) && (pipeline == null || pipeline.equals(entry.getPipeline()))) {
                found.add(entry);
            }
        }
        return found;
    }
}
