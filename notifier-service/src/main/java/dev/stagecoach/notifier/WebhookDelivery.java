package dev.stagecoach.notifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagecoach.events.Channel;
import dev.stagecoach.events.Notification;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * POSTs a notification as JSON to its target URL. 2xx is delivered; 5xx, 408, 429, refused
 * connections and timeouts are retried after an exponential back-off that a scheduler waits
 * out, so no thread sleeps and a slow receiver holds up nobody else; any other answer is final.
 */
public final class WebhookDelivery implements ChannelDelivery {

    private static final Logger LOG = Logger.getLogger(WebhookDelivery.class);
    /** The header on a copy that an earlier notifier process may have delivered already: a receiver that keeps no keys may still check. */
    static final String POSSIBLE_DUPLICATE = "Stagecoach-Possible-Duplicate";

    private final HttpClient http;
    private final ObjectMapper json;
    private final ScheduledExecutorService scheduler;
    private final ExponentialBackoff backoff;
    private final int maxAttempts;
    private final Duration requestTimeout;
    private final DeliveryMetrics metrics;

    public WebhookDelivery(HttpClient http, ObjectMapper json, ScheduledExecutorService scheduler,
                           ExponentialBackoff backoff, int maxAttempts, Duration requestTimeout, DeliveryMetrics metrics) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
        }
        this.http = http;
        this.json = json;
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.requestTimeout = requestTimeout;
        this.metrics = metrics;
    }

    @Override
    public CompletionStage<DeliveryOutcome> deliver(Notification notification) {
        return deliver(notification, false);
    }

    /** Sent again with the same Idempotency-Key, and flagged. */
    @Override
    public CompletionStage<DeliveryOutcome> deliverAgain(Notification notification, Instant begun) {
        return deliver(notification, true);
    }

    private CompletionStage<DeliveryOutcome> deliver(Notification notification, boolean possibleDuplicate) {
        URI target;
        try {
            target = webhookUri(notification);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new DeliveryOutcome.GivenUp(e.getMessage()));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", notification.getDedupeId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(notification)));
        if (possibleDuplicate) {
            request.header(POSSIBLE_DUPLICATE, "true");
        }
        CompletableFuture<DeliveryOutcome> outcome = new CompletableFuture<>();
        attempt(new Delivery(request.build(), notification.getDedupeId(), shown(target), outcome), 1);
        return outcome;
    }

    private void attempt(Delivery delivery, int attempt) {
        try {
            http.sendAsync(delivery.request, HttpResponse.BodyHandlers.discarding())
                    .handle((response, error) -> error == null ? Answer.of(response) : Answer.of(error, requestTimeout))
                    .thenAccept(answer -> settle(delivery, attempt, answer))
                    .exceptionally(error -> {
                        delivery.outcome.completeExceptionally(error);
                        return null;
                    });
        } catch (RuntimeException e) {
            delivery.outcome.completeExceptionally(e);
        }
    }

    private void settle(Delivery delivery, int attempt, Answer answer) {
        if (answer.kind == Answer.Kind.SUCCESS) {
            delivery.outcome.complete(new DeliveryOutcome.Delivered(attempt));
        } else if (answer.kind == Answer.Kind.PERMANENT) {
            delivery.outcome.complete(new DeliveryOutcome.GivenUp("webhook " + delivery.shownTarget + " " + answer.description));
        } else if (attempt >= maxAttempts) {
            delivery.outcome.complete(new DeliveryOutcome.GivenUp("webhook " + delivery.shownTarget + " " + answer.description
                    + " after " + attempt + (attempt == 1 ? " attempt" : " attempts")));
        } else {
            Duration wait = backoff.delayAfter(attempt, answer.retryAfter);
            LOG.debugf("webhook retry dedupeId=%s target=%s attempt=%d outcome=\"%s\" wait=%s",
                    delivery.dedupeId, delivery.shownTarget, attempt, answer.description, wait);
            metrics.retried(Channel.WEBHOOK);
            try {
                scheduler.schedule(() -> attempt(delivery, attempt + 1), wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                // Left unacknowledged on purpose: Kafka hands the notification to the next instance.
                LOG.debugf("webhook retry dropped at shutdown dedupeId=%s", delivery.dedupeId);
            }
        }
    }

    private byte[] body(Notification notification) {
        try {
            return json.writeValueAsBytes(WebhookPayload.of(notification));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the webhook body of " + notification.getDedupeId(), e);
        }
    }

    private static URI webhookUri(Notification notification) {
        String target = notification.getTarget();
        try {
            URI uri = new URI(target);
            String scheme = uri.getScheme();
            if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, in the same words as a URL of the wrong kind
        }
        throw new IllegalArgumentException("webhook target \"" + target + "\" is not an http(s) URL: fix the notify"
                + " target of pipeline " + notification.getPipeline());
    }

    /** The target without query and user info, which often carry tokens that must not reach logs or topics. */
    static String shown(URI target) {
        StringBuilder shown = new StringBuilder(target.getScheme()).append("://").append(target.getHost());
        if (target.getPort() != -1) {
            shown.append(':').append(target.getPort());
        }
        shown.append(target.getRawPath() == null ? "" : target.getRawPath());
        if (target.getRawQuery() != null) {
            shown.append("?...");
        }
        return shown.toString();
    }

    private record Delivery(HttpRequest request, String dedupeId, String shownTarget,
                            CompletableFuture<DeliveryOutcome> outcome) {
    }

    /** One attempt's answer, sorted into what it means for the next attempt. */
    private record Answer(Kind kind, String description, Optional<Duration> retryAfter) {

        enum Kind { SUCCESS, RETRYABLE, PERMANENT }

        static Answer of(HttpResponse<?> response) {
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Answer(Kind.SUCCESS, "answered " + status, Optional.empty());
            }
            if (status >= 500 || status == 408 || status == 429) {
                return new Answer(Kind.RETRYABLE, "answered " + status, retryAfter(response));
            }
            if (status >= 300 && status < 400) {
                return new Answer(Kind.PERMANENT, "answered " + status
                        + ", a redirect, which is not followed: point the target at the final URL", Optional.empty());
            }
            return new Answer(Kind.PERMANENT, "answered " + status
                    + ", which is not retried: check the URL and what the receiver expects", Optional.empty());
        }

        static Answer of(Throwable error, Duration timeout) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof HttpConnectTimeoutException) {
                return new Answer(Kind.RETRYABLE, "could not be connected to within " + shown(timeout), Optional.empty());
            }
            if (cause instanceof HttpTimeoutException) {
                return new Answer(Kind.RETRYABLE, "did not answer within " + shown(timeout), Optional.empty());
            }
            if (cause instanceof ConnectException) {
                return new Answer(Kind.RETRYABLE, "could not be reached (" + describe(cause) + ")", Optional.empty());
            }
            if (cause instanceof IOException) {
                return new Answer(Kind.RETRYABLE, "failed (" + describe(cause) + ")", Optional.empty());
            }
            return new Answer(Kind.PERMANENT, "could not be called (" + describe(cause) + ")", Optional.empty());
        }

        private static String shown(Duration duration) {
            long millis = duration.toMillis();
            return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
        }

        private static String describe(Throwable error) {
            return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        }

        /** Only the delta-seconds form; an HTTP date falls back to our own back-off. */
        private static Optional<Duration> retryAfter(HttpResponse<?> response) {
            return response.headers().firstValue("Retry-After").flatMap(value -> {
                try {
                    long seconds = Long.parseLong(value.trim());
                    return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            });
        }
    }
}
