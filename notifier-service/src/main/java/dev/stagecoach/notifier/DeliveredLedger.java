package dev.stagecoach.notifier;

import dev.stagecoach.events.Notification;
import java.util.concurrent.CompletionStage;

/** The dedupe ids delivered so far, remembered for the dispatcher to skip what it sent before. */
public interface DeliveredLedger {

    /** Completes once what earlier notifier processes recorded has been read back. */
    CompletionStage<Void> ready();

    boolean contains(String dedupeId);

    /** Remembers a delivery; completes once it is kept as durably as this ledger keeps anything. */
    CompletionStage<Void> record(Notification delivered);
}
