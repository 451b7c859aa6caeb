package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real HTTP endpoints on loopback where Slack's {@code chat.postMessage} and PagerDuty's Events
 * API v2 would be: each checks the method, path, credentials and the fields its API requires,
 * answers as that API does, and keeps what it accepted.
 */
final class ChatAndPagingSink implements AutoCloseable {

    static final String SLACK_TOKEN = "xoxb-local-stack-test";
    static final String ROUTING_KEY = "LOCALSTACKR0UT1NGKEY000000000001";

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final List<JsonNode> slackMessages = new CopyOnWriteArrayList<>();
    private final List<JsonNode> pagerDutyEvents = new CopyOnWriteArrayList<>();

    ChatAndPagingSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/chat.postMessage", this::slack);
        server.createContext("/v2/enqueue", this::pagerDuty);
        server.start();
    }

    String slackApiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    String pagerDutyEventsUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v2/enqueue";
    }

    List<JsonNode> slackMessages() {
        return List.copyOf(slackMessages);
    }

    List<JsonNode> pagerDutyEvents() {
        return List.copyOf(pagerDutyEvents);
    }

    private void slack(HttpExchange exchange) throws IOException {
        JsonNode body = body(exchange);
        String error = !"POST".equals(exchange.getRequestMethod()) ? "invalid_request"
                : !("Bearer " + SLACK_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization")) ? "invalid_auth"
                : body == null ? "invalid_json"
                : !body.path("channel").isTextual() ? "channel_not_found"
                : !body.path("blocks").isArray() || body.path("blocks").isEmpty() ? "no_text"
                : null;
        if (error == null) {
            slackMessages.add(body);
        }
        answer(exchange, 200, error == null ? "{\"ok\":true}" : "{\"ok\":false,\"error\":\"" + error + "\"}");
    }

    private void pagerDuty(HttpExchange exchange) throws IOException {
        JsonNode body = body(exchange);
        boolean valid = "POST".equals(exchange.getRequestMethod()) && body != null
                && ROUTING_KEY.equals(body.path("routing_key").asText())
                && List.of("trigger", "resolve").contains(body.path("event_action").asText())
                && !body.path("dedup_key").asText("").isEmpty()
                && (body.path("event_action").asText().equals("resolve")
                        || !body.path("payload").path("summary").asText("").isEmpty()
                        && List.of("critical", "error", "warning", "info").contains(body.path("payload").path("severity").asText()));
        if (valid) {
            pagerDutyEvents.add(body);
            answer(exchange, 202, "{\"status\":\"success\",\"message\":\"Event processed\"}");
        } else {
            answer(exchange, 400, "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\"}");
        }
    }

    private JsonNode body(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            return null;
        }
        try {
            return json.readTree(raw);
        } catch (IOException e) {
            return null;
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
