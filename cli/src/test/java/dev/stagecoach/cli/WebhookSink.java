package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A real HTTP endpoint on loopback that records every webhook (or http stage's request) it receives. */
final class WebhookSink implements AutoCloseable {

    record Delivery(String path, Headers headers, JsonNode body) {
        String idempotencyKey() {
            return headers.getFirst("Idempotency-Key");
        }
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch held = new CountDownLatch(0);

    WebhookSink() throws IOException {
        this(java.time.Duration.ZERO);
    }

    /** @param answerAfter how long each request waits for its answer, one request at a time: a slow receiver */
    WebhookSink(java.time.Duration answerAfter) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            java.util.concurrent.locks.LockSupport.parkNanos(answerAfter.toNanos());
            deliveries.add(new Delivery(exchange.getRequestURI().getPath(), exchange.getRequestHeaders(),
                    new ObjectMapper().readTree(body)));
            try {
                held.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    /** Requests from now on are kept and not answered until {@link #releaseAnswers()}; others wait behind them. */
    void holdAnswers() {
        held = new CountDownLatch(1);
    }

    void releaseAnswers() {
        held.countDown();
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Delivery> deliveriesFor(String runId) {
        return deliveries.stream().filter(d -> runId.equals(d.body().path("runId").asText())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
