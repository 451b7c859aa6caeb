package dev.stagecoach.notifier;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * What one attempt at a receiver ended with, sorted by what it means for the next one.
 *
 * @param description what happened, to finish a sentence that starts with the receiver ("slack #ops ...")
 * @param retryAfter the receiver's own wait before the next attempt, when it gave one
 */
record AttemptAnswer(Kind kind, String description, Optional<Duration> retryAfter) {

    enum Kind { SUCCESS, RETRYABLE, PERMANENT }

    static AttemptAnswer success() {
        return new AttemptAnswer(Kind.SUCCESS, "accepted", Optional.empty());
    }

    static AttemptAnswer retryable(String description, Optional<Duration> retryAfter) {
        return new AttemptAnswer(Kind.RETRYABLE, description, retryAfter);
    }

    static AttemptAnswer permanent(String description) {
        return new AttemptAnswer(Kind.PERMANENT, description, Optional.empty());
    }

    /** A request that got no answer: refused, timed out or cut are worth another try, anything else is not. */
    static AttemptAnswer ofError(Throwable error, Duration timeout) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpConnectTimeoutException) {
            return retryable("could not be connected to within " + shown(timeout), Optional.empty());
        }
        if (cause instanceof HttpTimeoutException) {
            return retryable("did not answer within " + shown(timeout), Optional.empty());
        }
        if (cause instanceof ConnectException) {
            return retryable("could not be reached (" + describe(cause) + ")", Optional.empty());
        }
        if (cause instanceof IOException) {
            return retryable("failed (" + describe(cause) + ")", Optional.empty());
        }
        return permanent("could not be called (" + describe(cause) + ")");
    }

    /** Only the delta-seconds form; an HTTP date falls back to our own back-off. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                long seconds = Long.parseLong(value.trim());
                return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    static String shown(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    static String describe(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }
}
