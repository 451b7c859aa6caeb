package dev.stagecoach.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server that checks requests as Slack's Web API ({@code chat.postMessage}) and an
 * incoming webhook do, and answers as they do: HTTP 200 with {@code ok: false} and Slack's error
 * for what is wrong, 429 with {@code Retry-After} while rate limited.
 */
final class FakeSlack implements AutoCloseable {

    static final String TOKEN = "xoxb-test-token";
    static final String WEBHOOK_PATH = "/services/T0001/B0001/abcdefghijklmnopqrstuvwx";
    private static final Set<String> BLOCK_TYPES = Set.of("section", "actions", "context", "header", "divider");

    /** A request Slack accepted, or refused with {@code error}. */
    record Request(String path, String authorization, JsonNode body, Instant at, String error) {
    }

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Set<String> channels;
    private final AtomicInteger rateLimitedFor = new AtomicInteger();
    private volatile int retryAfterSeconds = 1;

    FakeSlack(String... channels) {
        this.channels = Set.of(channels);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/", this::webApi);
        server.createContext("/services/", this::incomingWebhook);
        server.start();
    }

    String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    String webhookUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + WEBHOOK_PATH;
    }

    /** The next {@code requests} are answered 429 with {@code Retry-After: seconds}. */
    void rateLimit(int requests, int seconds) {
        retryAfterSeconds = seconds;
        rateLimitedFor.set(requests);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> accepted() {
        return requests.stream().filter(r -> r.error() == null).toList();
    }

    private void webApi(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (!path.equals("/api/chat.postMessage")) {
            answer(exchange, path, authorization, null, 200, "unknown_method");
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, path, authorization, null, 405, "method_not_supported_for_channel_type");
            return;
        }
        if (rateLimitedFor.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            exchange.getResponseHeaders().add("Retry-After", Integer.toString(retryAfterSeconds));
            answer(exchange, path, authorization, null, 429, "ratelimited");
            return;
        }
        if (authorization == null) {
            answer(exchange, path, null, null, 200, "not_authed");
            return;
        }
        if (!authorization.equals("Bearer " + TOKEN)) {
            answer(exchange, path, authorization, null, 200, "invalid_auth");
            return;
        }
        JsonNode body = jsonBody(exchange, raw);
        if (body == null) {
            answer(exchange, path, authorization, null, 200, "invalid_json");
            return;
        }
        String channel = body.path("channel").asText("");
        String error = channel.isEmpty() ? "channel_not_found"
                : !channels.contains(channel) ? "channel_not_found"
                : messageError(body);
        answer(exchange, path, authorization, body, 200, error);
    }

    private void incomingWebhook(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        JsonNode body = jsonBody(exchange, raw);
        String error = !path.equals(WEBHOOK_PATH) ? "no_service" : body == null ? "invalid_payload" : messageError(body);
        requests.add(new Request(path, null, body, Instant.now(), error));
        byte[] text = (error == null ? "ok" : error).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(error == null ? 200 : error.equals("no_service") ? 404 : 400, text.length);
        exchange.getResponseBody().write(text);
        exchange.close();
    }

    /** Slack's own checks of a message's text and blocks. */
    private static String messageError(JsonNode body) {
        if (body.path("text").asText("").isEmpty() && !body.has("blocks")) {
            return "no_text";
        }
        JsonNode blocks = body.path("blocks");
        if (!blocks.isMissingNode() && (!blocks.isArray() || blocks.size() > 50)) {
            return "invalid_blocks";
        }
        for (JsonNode block : blocks) {
            if (!BLOCK_TYPES.contains(block.path("type").asText())) {
                return "invalid_blocks";
            }
            JsonNode text = block.path("text");
            if (!text.isMissingNode() && (!Set.of("mrkdwn", "plain_text").contains(text.path("type").asText())
                    || text.path("text").asText("").isEmpty() || text.path("text").asText().length() > 3000)) {
                return "invalid_blocks";
            }
        }
        return null;
    }

    private JsonNode jsonBody(HttpExchange exchange, byte[] raw) {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            return null;
        }
        try {
            JsonNode body = json.readTree(raw);
            return body != null && body.isObject() ? body : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void answer(HttpExchange exchange, String path, String authorization, JsonNode body, int status, String error)
            throws IOException {
        requests.add(new Request(path, authorization, body, Instant.now(), error));
        String answer = error == null ? "{\"ok\":true,\"channel\":\"C0123ABCD9\",\"ts\":\"1700000000.000100\"}"
                : "{\"ok\":false,\"error\":\"" + error + "\"}";
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
