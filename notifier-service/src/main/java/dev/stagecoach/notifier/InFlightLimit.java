package dev.stagecoach.notifier;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * At most {@code max} deliveries under way. A caller that finds them all taken gets a stage
 * that completes when one is released, instead of a blocked thread; the consumer returns that
 * stage to SmallRye, which then stops pulling records until there is room again.
 */
public final class InFlightLimit {

    private final int max;
    private final Queue<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int taken;

    public InFlightLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max in-flight deliveries must be at least 1, was " + max);
        }
        this.max = max;
    }

    public synchronized CompletionStage<Void> acquire() {
        if (taken < max) {
            taken++;
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> turn = new CompletableFuture<>();
        waiting.add(turn);
        return turn;
    }

    public void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                taken--;
                return;
            }
        }
        // The slot passes straight to the next waiter; completed outside the lock, as it runs the waiter's work.
        next.complete(null);
    }

    synchronized int taken() {
        return taken;
    }
}
