package dev.stagecoach.notifier;

import dev.stagecoach.events.Channel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Repeats an attempt at a receiver until it succeeds, fails for good or runs out of attempts,
 * waiting out the back-off on a scheduler rather than on a thread.
 */
final class RetryingAttempts {

    private static final Logger LOG = Logger.getLogger(RetryingAttempts.class);

    private final ScheduledExecutorService scheduler;
    private final ExponentialBackoff backoff;
    private final int maxAttempts;
    private final DeliveryMetrics metrics;

    RetryingAttempts(ScheduledExecutorService scheduler, ExponentialBackoff backoff, int maxAttempts, DeliveryMetrics metrics) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
        }
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.metrics = metrics;
    }

    /**
     * @param receiver how reasons name the receiver, e.g. {@code slack #deployments}
     * @param attempt one attempt; it may fail its stage, which counts as a permanent failure
     */
    CompletionStage<DeliveryOutcome> run(Channel channel, String dedupeId, String receiver,
                                         Supplier<CompletionStage<AttemptAnswer>> attempt) {
        CompletableFuture<DeliveryOutcome> outcome = new CompletableFuture<>();
        next(new Delivery(channel, dedupeId, receiver, attempt, outcome), 1);
        return outcome;
    }

    private void next(Delivery delivery, int number) {
        CompletionStage<AttemptAnswer> answer;
        try {
            answer = delivery.attempt.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.handle((answered, error) -> error == null ? answered
                        : AttemptAnswer.permanent("could not be sent to (" + AttemptAnswer.describe(Failures.cause(error)) + ")"))
                .thenAccept(answered -> settle(delivery, number, answered))
                .exceptionally(error -> {
                    delivery.outcome.completeExceptionally(error);
                    return null;
                });
    }

    private void settle(Delivery delivery, int number, AttemptAnswer answer) {
        switch (answer.kind()) {
            case SUCCESS -> delivery.outcome.complete(new DeliveryOutcome.Delivered(number));
            case PERMANENT -> delivery.outcome.complete(new DeliveryOutcome.GivenUp(delivery.receiver + " " + answer.description()));
            case RETRYABLE -> {
                if (number >= maxAttempts) {
                    delivery.outcome.complete(new DeliveryOutcome.GivenUp(delivery.receiver + " " + answer.description()
                            + " after " + number + (number == 1 ? " attempt" : " attempts")));
                    return;
                }
                Duration wait = backoff.delayAfter(number, answer.retryAfter());
                LOG.debugf("retry dedupeId=%s receiver=\"%s\" attempt=%d outcome=\"%s\" wait=%s",
                        delivery.dedupeId, delivery.receiver, number, answer.description(), wait);
                metrics.retried(delivery.channel);
                try {
                    scheduler.schedule(() -> next(delivery, number + 1), wait.toNanos(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException shuttingDown) {
                    // Left unacknowledged on purpose: Kafka hands the notification to the next instance.
                    LOG.debugf("retry dropped at shutdown dedupeId=%s", delivery.dedupeId);
                }
            }
        }
    }

    private record Delivery(Channel channel, String dedupeId, String receiver, Supplier<CompletionStage<AttemptAnswer>> attempt,
                            CompletableFuture<DeliveryOutcome> outcome) {
    }
}
