package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP endpoint on loopback that records every webhook (or http stage's request) it receives. */
final class WebhookSink implements AutoCloseable {

    record Delivery(String path, Headers headers, JsonNode body) {
        String idempotencyKey() {
            return headers.getFirst("Idempotency-Key");
        }
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    WebhookSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            deliveries.add(new Delivery(exchange.getRequestURI().getPath(), exchange.getRequestHeaders(),
                    new ObjectMapper().readTree(body)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
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
