package dev.stagecoach.scheduler.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Sends a request about a run to the instance that owns it and brings its answer back, so that
 * a client can talk to any instance. The caller's own {@code Authorization} travels with it: the
 * owner checks the caller as if it had been asked directly.
 */
public final class RunForwarder {

    /** Marks a forwarded request with the forwarding instance's id: a request is forwarded at most once. */
    public static final String FORWARDED_BY = "X-Stagecoach-Forwarded-By";
    /** Names the instance whose store gave the answer. */
    public static final String ANSWERED_BY = "X-Stagecoach-Answered-By";
    /** Present when the answer comes from a standby copy, with the reason the owner could not answer. */
    public static final String STALE = "X-Stagecoach-Stale";
    /** Request headers that mean the same to the owner as to this instance; all others stay here. */
    static final List<String> PASSED_ON = List.of("Authorization", "Content-Type", "Accept");
    /** Answer headers that the caller needs; hop-by-hop ones (length, connection) are the server's business. */
    static final List<String> PASSED_BACK = List.of("Content-Type", "Retry-After", ANSWERED_BY, STALE);

    /** The owner's answer, as it gave it. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    /** The owner did not answer: refused, timed out or broke off. */
    public static final class OwnerUnreachableException extends Exception {
        public OwnerUnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http;
    private final String instanceId;
    private final Duration timeout;

    /**
     * @param instanceId this instance's id, sent in {@link #FORWARDED_BY}
     * @param timeout how long the owner may take to connect and to answer
     */
    public RunForwarder(String instanceId, Duration timeout) {
        this.instanceId = instanceId;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * @param pathAndQuery the request's path with its query, e.g. {@code /api/runs/r-1/report}
     * @param headers the incoming request's headers; only {@link #PASSED_ON} ones are sent on
     * @param body the request body, or null for none
     */
    public Answer forward(HostInfo owner, String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws OwnerUnreachableException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + RunRouting.address(owner) + pathAndQuery))
                .timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header(FORWARDED_BY, instanceId);
        headers.forEach((name, value) -> {
            if (value != null && PASSED_ON.stream().anyMatch(name::equalsIgnoreCase)) {
                request.header(name, value);
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new OwnerUnreachableException("no answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new OwnerUnreachableException(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OwnerUnreachableException("interrupted while waiting for the owner", e);
        }
        Map<String, String> passedBack = new LinkedHashMap<>();
        for (String name : PASSED_BACK) {
            response.headers().firstValue(name).ifPresent(value -> passedBack.put(name, value));
        }
        return new Answer(response.statusCode(), passedBack, response.body());
    }
}
