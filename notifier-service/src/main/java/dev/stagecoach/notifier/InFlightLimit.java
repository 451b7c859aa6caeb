package dev.stagecoach.notifier;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * At most {@code max} deliveries under way. A caller that finds them all taken gets a stage
 * that completes when one is released, instead of a blocked thread; the consumer returns that
 * stage to SmallRye, which then stops pulling records until there is room again. Once
 * {@link #drain draining}, no slot is handed out any more: what waits stays in Kafka.
 */
public final class InFlightLimit {

    private final int max;
    private final Queue<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int taken;
    private boolean draining;

    public InFlightLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max in-flight deliveries must be at least 1, was " + max);
        }
        this.max = max;
    }

    public synchronized CompletionStage<Void> acquire() {
        if (draining) {
            return new CompletableFuture<>();
        }
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
            next = draining ? null : waiting.poll();
            if (next == null) {
                taken--;
                notifyAll();
                return;
            }
        }
        // The slot passes straight to the next waiter; completed outside the lock, as it runs the waiter's work.
        next.complete(null);
    }

    synchronized int taken() {
        return taken;
    }

    synchronized boolean draining() {
        return draining;
    }

    /**
     * Hands out no more slots, and waits until every slot taken is released or {@code within}
     * has passed.
     *
     * @return how many deliveries were still under way when it stopped waiting
     */
    public synchronized int drain(Duration within) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + within.toNanos();
        while (taken > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return taken;
    }
}
