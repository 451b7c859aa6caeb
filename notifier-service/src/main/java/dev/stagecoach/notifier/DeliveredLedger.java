package dev.stagecoach.notifier;

import dev.stagecoach.events.Notification;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the notifier knows of each dedupe id: delivered, begun by a process that never said how
 * it ended, or nothing. The dispatcher skips what was delivered and treats what was begun as
 * possibly delivered.
 */
public interface DeliveredLedger {

    /** Completes once what earlier notifier processes recorded has been read back. */
    CompletionStage<Void> ready();

    boolean contains(String dedupeId);

    /**
     * When a delivery of this id began, if one began and nobody recorded its end: a notifier
     * killed while it was under way. The receiver may have it.
     */
    Optional<Instant> unfinishedSince(String dedupeId);

    /** Marks a delivery as begun, before its first attempt; completes once kept. */
    CompletionStage<Void> begin(Notification notification);

    /** Remembers a delivery; completes once it is kept as durably as this ledger keeps anything. */
    CompletionStage<Void> record(Notification delivered);

    /** Clears the mark of a delivery that was given up: a copy that comes again is a fresh start. */
    CompletionStage<Void> forget(Notification givenUp);
}
