package dev.stagecoach.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.Outcome;
import dev.stagecoach.events.SecretTextPart;
import dev.stagecoach.events.SecretTextPartKind;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.StageResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The http kind against a real HTTP server on loopback: what it sends, and what it makes of the answer. */
class HttpStageTest {

    record Received(String method, String path, Map<String, String> headers, String body) {
    }

    final RecordingSink sink = new RecordingSink();
    final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    final ExecutorService handlers = Executors.newCachedThreadPool();
    final List<Received> received = new CopyOnWriteArrayList<>();
    // A slow server's handlers wait for this; opened when the test ends.
    final CountDownLatch slowAnswers = new CountDownLatch(1);
    HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(handlers);
        server.start();
    }

    @AfterEach
    void stop() {
        slowAnswers.countDown();
        server.stop(0);
        handlers.shutdownNow();
        heartbeats.shutdownNow();
    }

    StageRunner runner() {
        CommandSecrets secrets = new CommandSecrets(new WorkerSecrets(Optional.empty(),
                name -> name.equals("STAGECOACH_SECRET_HOOK_TOKEN") ? "s3cr3t-token" : null), StageRunnerTest.KEYS);
        return new StageRunner(List.of(new HttpStage()), secrets, sink, Clock.systemUTC(), "w1", heartbeats, 20);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers {@code status} with {@code body} at {@code path}, recording each request. */
    void answer(String path, int status, String body) {
        server.createContext(path, exchange -> respond(exchange, status, body));
    }

    void respond(HttpExchange exchange, int status, String body) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values)));
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    static StageCommand call(Map<String, String> inputs, long timeoutMillis, List<String> secrets) {
        return StageCommand.newBuilder().setRunId("run-1").setStage("call").setAttempt(1).setAttemptId("run-1/call/1")
                .setAction(CommandAction.EXECUTE).setKind("http").setInputs(inputs).setSecretValues(secrets)
                .setTimeoutMillis(timeoutMillis).setHeartbeatMillis(100).setIssuedAt(Instant.now()).build();
    }

    @Test
    void getThatAnswers200SucceedsWithStatusBodyAndDuration() {
        answer("/health", 200, "healthy\nversion 1.4.2");

        runner().execute(call(Map.of("url", url("/health")), 10_000, List.of()));

        StageResult finished = sink.finished();
        assertThat(finished.getOutcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(finished.getError()).isNull();
        assertThat(finished.getOutputs()).containsExactlyInAnyOrderEntriesOf(Map.of("status", "200", "body", "healthy\nversion 1.4.2"));
        assertThat(finished.getMetrics()).containsEntry("http_status", 200.0).containsKey("duration_ms");
        assertThat(finished.getMetrics().get("duration_ms")).isGreaterThanOrEqualTo(0);
        assertThat(finished.getOutputTail()).startsWith("[stagecoach] GET " + url("/health"), "healthy", "version 1.4.2");
        assertThat(finished.getOutputTail()).last().asString().startsWith("[stagecoach] answered 200 after ");
        assertThat(received).extracting(Received::method).containsExactly("GET");
    }

    @Test
    void postSendsItsHeadersAndBodyAsWritten() {
        answer("/deploys", 201, "");
        String body = "{\"version\": \"1.4.2\", \"note\": \"ünïcode & $(not shell)\"}";

        runner().execute(call(Map.of("url", url("/deploys"), "method", "POST",
                "headers", "Content-Type: application/json\nX-Request-Id: abc-123", "body", body), 10_000, List.of()));

        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(received).hasSize(1);
        Received request = received.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/deploys");
        assertThat(request.headers()).containsEntry("content-type", "application/json").containsEntry("x-request-id", "abc-123");
        assertThat(request.body()).isEqualTo(body);
        assertThat(sink.finished().getOutputs()).containsEntry("status", "201").containsEntry("body", "");
    }

    @Test
    void aStatusThatIsNotExpectedFailsAndNamesTheExpectedOnes() {
        answer("/down", 503, "maintenance");

        runner().execute(call(Map.of("url", url("/down"), "expect_status", "200,204"), 10_000, List.of()));

        StageResult finished = sink.finished();
        assertThat(finished.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(finished.getError()).isEqualTo("GET " + url("/down") + " answered 503; expected 200 or 204");
        assertThat(finished.getMetrics()).containsEntry("http_status", 503.0);
        assertThat(finished.getOutputTail()).contains("maintenance");
    }

    @Test
    void withoutExpectStatusAnyAnswerOutside2xxFails() {
        answer("/moved", 404, "");

        runner().execute(call(Map.of("url", url("/moved")), 10_000, List.of()));

        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(sink.finished().getError()).endsWith("answered 404; expected a 2xx status");
    }

    @Test
    void anExpectedStatusOutside2xxSucceeds() {
        answer("/gone", 410, "");

        runner().execute(call(Map.of("url", url("/gone"), "method", "DELETE", "expect_status", "404,410"), 10_000, List.of()));

        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(received).extracting(Received::method).containsExactly("DELETE");
    }

    @Test
    void anAnswerSlowerThanTheTimeoutEndsTheAttemptAsTimedOut() {
        server.createContext("/slow", exchange -> {
            awaitQuietly(slowAnswers);
            respond(exchange, 200, "too late");
        });

        runner().execute(call(Map.of("url", url("/slow")), 500, List.of()));

        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(sink.finished().getError()).isEqualTo("no complete answer to GET " + url("/slow") + " within 500 ms");
    }

    @Test
    void cancelStopsAnAttemptThatWaitsForItsAnswer() {
        CountDownLatch arrived = new CountDownLatch(1);
        server.createContext("/slow", exchange -> {
            arrived.countDown();
            awaitQuietly(slowAnswers);
            respond(exchange, 200, "too late");
        });
        StageRunner runner = runner();
        StageCommand command = call(Map.of("url", url("/slow")), 600_000, List.of());
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> runner.execute(command));
        await().atMost(Duration.ofSeconds(10)).until(() -> arrived.getCount() == 0);

        runner.cancel(StageCommand.newBuilder(command).setAction(CommandAction.CANCEL).build());

        running.orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void secretValuesAreMaskedInEverythingReportedThoughTheServerGetsThem() {
        String secret = "s3cr3t-token";
        server.createContext("/echo", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            respond(exchange, 401, "you sent " + authorization + "\n");
        });

        SecretTextPart token = new SecretTextPart(SecretTextPartKind.SECRET, "HOOK_TOKEN", null);
        runner().execute(StageCommand.newBuilder(call(Map.of("url", url("/echo"), "method", "POST"), 10_000, List.of()))
                .setSecretInputs(Map.of("headers", List.of(StageRunnerTest.text("Authorization: Bearer "), token),
                        "body", List.of(StageRunnerTest.text("token="), token)))
                .build());

        assertThat(received.get(0).headers()).containsEntry("authorization", "Bearer " + secret);
        assertThat(received.get(0).body()).isEqualTo("token=" + secret);
        StageResult finished = sink.finished();
        assertThat(finished.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(finished.getOutputs()).containsEntry("body", "you sent Bearer ***\n");
        assertThat(finished.getOutputTail()).contains("you sent Bearer ***");
        assertThat(finished.toString()).doesNotContain(secret);
        assertThat(sink.loggedLines()).noneMatch(line -> line.contains(secret));
    }

    @Test
    void aSecretAtTheBodyLimitIsMaskedWholeNotCutInHalf() {
        String secret = "s3cr3t-token";
        String padding = "x".repeat(HttpStage.BODY_LIMIT - 4);
        answer("/long", 200, padding + secret + "y".repeat(10_000));

        runner().execute(call(Map.of("url", url("/long")), 10_000, List.of(secret)));

        String body = sink.finished().getOutputs().get("body");
        assertThat(body).hasSize(HttpStage.BODY_LIMIT).isEqualTo(padding + "***y");
        assertThat(sink.finished().getOutputTail()).contains("[stagecoach] the body was cut to its first 4096 characters");
    }

    @Test
    void aRefusedConnectionFailsWithAClearError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/health";

        runner().execute(call(Map.of("url", url), 10_000, List.of()));

        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(sink.finished().getError()).startsWith("GET " + url + " failed: could not connect to 127.0.0.1:" + closedPort);
        assertThat(sink.finished().getOutputTail()).last().asString().startsWith("[stagecoach] GET " + url + " failed");
    }

    @Test
    void aHostNameThatDoesNotResolveFailsWithAClearError() {
        // .invalid never resolves (RFC 2606).
        runner().execute(call(Map.of("url", "http://no-such-host.invalid/health"), 30_000, List.of()));

        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(sink.finished().getError())
                .startsWith("GET http://no-such-host.invalid/health failed: the host name no-such-host.invalid does not resolve");
    }

    @Test
    void aHeaderTheClientMayNotSetFailsTheAttemptBeforeAnythingIsSent() {
        answer("/health", 200, "");

        runner().execute(call(Map.of("url", url("/health"), "headers", "Host: elsewhere.example"), 10_000, List.of()));

        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(sink.finished().getError()).startsWith("cannot send GET " + url("/health") + ": ").contains("Host");
        assertThat(received).isEmpty();
    }

    @Test
    void aUrlThatRenderedEmptyFailsTheAttemptAndSaysSo() {
        runner().execute(call(Map.of("url", ""), 10_000, List.of()));

        assertThat(sink.finished().getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(sink.finished().getError()).isEqualTo("the url input is empty; an http stage needs the address to call");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
