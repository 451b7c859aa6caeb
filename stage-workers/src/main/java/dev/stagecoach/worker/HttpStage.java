package dev.stagecoach.worker;

import dev.stagecoach.events.Outcome;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.pipeline.HttpCall;
import dev.stagecoach.pipeline.Secrets;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Makes the one HTTP request of a {@code uses: http} stage, as its rendered inputs describe it
 * ({@link HttpCall}). Success is an expected status; the answer becomes the outputs
 * {@code status} and {@code body} (its first {@link #BODY_LIMIT} characters) and the metrics
 * {@code http_status} and {@code duration_ms}. Secret values that the headers or body carried
 * are masked in everything reported, the answer included, since a server may echo what it got.
 */
public final class HttpStage implements StageKind {

    /** Characters of the answer's body kept as the {@code body} output: outputs live on in the run's state, rewritten on each change. */
    public static final int BODY_LIMIT = 4096;
    private static final String NOTE = "[stagecoach] ";

    private final HttpClient client;

    public HttpStage() {
        // HTTP/1.1: on plain http the client would otherwise offer an h2c upgrade, which some servers refuse.
        this(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NORMAL).build());
    }

    HttpStage(HttpClient client) {
        this.client = client;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public AttemptOutcome execute(StageCommand command, RunningAttempt attempt) throws InterruptedException {
        HttpCall call = HttpCall.of(command.getInputs());
        List<String> secrets = command.getSecretValues();
        if (call.url() == null || call.url().isBlank()) {
            // The loader requires a url; an interpolation may still render it empty.
            return failed("the url input is empty; an http stage needs the address to call", attempt, secrets);
        }
        String target = call.method() + " " + call.url();
        HttpRequest request;
        try {
            request = request(call);
        } catch (IllegalArgumentException e) {
            return failed("cannot send " + target + ": " + e.getMessage(), attempt, secrets);
        }
        attempt.line(NOTE + target);
        if (!command.getArtifacts().isEmpty()) {
            attempt.line(NOTE + "warning: an http stage keeps no artifacts; only run stages do");
        }
        // Room for BODY_LIMIT characters of up to 4 UTF-8 bytes each, and for a secret that starts just before the limit.
        BodyPrefix body = new BodyPrefix(4 * (BODY_LIMIT + secrets.stream().mapToInt(String::length).max().orElse(0)));
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<Void>> answer = client.sendAsync(request,
                info -> HttpResponse.BodySubscribers.ofByteArrayConsumer(body::accept));
        attempt.onCancel(() -> answer.cancel(true));
        HttpResponse<Void> response;
        try {
            response = answer.get(command.getTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return AttemptOutcome.ended(Outcome.TIMED_OUT, "no complete answer to " + target + " within "
                    + command.getTimeoutMillis() + " ms", attempt.tail());
        } catch (CancellationException e) {
            return cancelled(attempt);
        } catch (ExecutionException e) {
            return attempt.cancelled() ? cancelled(attempt)
                    : failed(target + " failed: " + why(e.getCause(), request.uri()), attempt, secrets);
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        if (attempt.cancelled()) {
            return cancelled(attempt);
        }
        return answered(call, target, response.statusCode(), body, millis, attempt, secrets);
    }

    private static AttemptOutcome answered(HttpCall call, String target, int status, BodyPrefix body, long millis,
                                           RunningAttempt attempt, List<String> secrets) {
        // Masked before it is cut, so that a secret at the cut cannot show in part.
        String text = Secrets.mask(body.text(), secrets);
        boolean cut = body.cut() || text.length() > BODY_LIMIT;
        text = text.length() > BODY_LIMIT ? text.substring(0, BODY_LIMIT) : text;
        text.lines().forEach(attempt::line);
        if (cut) {
            attempt.line(NOTE + "the body was cut to its first " + BODY_LIMIT + " characters");
        }
        attempt.line(NOTE + "answered " + status + " after " + millis + " ms");
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("http_status", (double) status);
        metrics.put("duration_ms", (double) millis);
        Map<String, String> outputs = Map.of("status", Integer.toString(status), "body", text);
        if (call.expects(status)) {
            return new AttemptOutcome(Outcome.SUCCEEDED, null, null, attempt.tail(), metrics, outputs, List.of());
        }
        String error = Secrets.mask(target + " answered " + status + "; expected " + expected(call), secrets);
        return new AttemptOutcome(Outcome.FAILED, null, error, attempt.tail(), metrics, outputs, List.of());
    }

    private static HttpRequest request(HttpCall call) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(call.url())).method(call.method(),
                call.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(call.body()));
        call.headers().forEach(builder::header);
        return builder.build();
    }

    private static AttemptOutcome cancelled(RunningAttempt attempt) {
        return AttemptOutcome.ended(Outcome.CANCELLED, "cancelled", attempt.tail());
    }

    private static AttemptOutcome failed(String why, RunningAttempt attempt, List<String> secrets) {
        String error = Secrets.mask(why, secrets);
        attempt.line(NOTE + error);
        return AttemptOutcome.ended(Outcome.FAILED, error, attempt.tail());
    }

    private static String expected(HttpCall call) {
        List<String> codes = call.expectStatus().stream().map(String::valueOf).toList();
        if (codes.isEmpty()) {
            return "a 2xx status";
        }
        if (codes.size() == 1) {
            return codes.get(0);
        }
        return String.join(", ", codes.subList(0, codes.size() - 1)) + " or " + codes.get(codes.size() - 1);
    }

    /** In words a person can act on: the client wraps what it knows in exceptions that often carry no message. */
    private static String why(Throwable failure, URI uri) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        String detail = chain.stream().map(Throwable::getMessage).filter(m -> m != null && !m.isBlank())
                .findFirst().map(m -> " (" + m + ")").orElse("");
        if (chain.stream().anyMatch(t -> t instanceof UnresolvedAddressException || t instanceof UnknownHostException)) {
            return "the host name " + uri.getHost() + " does not resolve" + detail;
        }
        if (chain.stream().anyMatch(ConnectException.class::isInstance)) {
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return "could not connect to " + uri.getHost() + ":" + port + detail;
        }
        if (chain.stream().anyMatch(SSLException.class::isInstance)) {
            return "the TLS handshake failed" + detail;
        }
        return failure.toString();
    }
}
