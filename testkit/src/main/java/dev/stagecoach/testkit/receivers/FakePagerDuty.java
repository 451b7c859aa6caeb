package dev.stagecoach.testkit.receivers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server that checks events as PagerDuty's Events API v2 does ({@code POST
 * /v2/enqueue}, a 32-character routing key, the action, and for a trigger a payload with
 * summary, source and one of the four severities), answers 202 or 400 with PagerDuty's reasons,
 * 429 while rate limited, and keeps incidents open by dedup key until resolved.
 */
public final class FakePagerDuty implements AutoCloseable {

    public static final String ROUTING_KEY = "R0UT1NGKEY0000000000000000000001";
    private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

    public record Event(JsonNode body, Instant at, int status) {
    }

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Map<String, String> openIncidents = new ConcurrentHashMap<>();
    private final AtomicInteger rateLimitedFor = new AtomicInteger();

    public FakePagerDuty() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String eventsUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v2/enqueue";
    }

    public void rateLimit(int requests) {
        rateLimitedFor.set(requests);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public List<Event> accepted() {
        return events.stream().filter(e -> e.status() == 202).toList();
    }

    /** Open incidents: dedup key to the summary that opened it. */
    public Map<String, String> openIncidents() {
        return Map.copyOf(openIncidents);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        if (!exchange.getRequestURI().getPath().equals("/v2/enqueue") || !"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, null, 404, "{\"status\":\"not found\"}");
            return;
        }
        if (rateLimitedFor.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(exchange, null, 429, "{\"status\":\"throttle event\",\"message\":\"Requests for this service are arriving too quickly.\"}");
            return;
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        JsonNode body = null;
        try {
            body = type != null && type.startsWith("application/json") ? json.readTree(raw) : null;
        } catch (IOException e) {
            // answered below as PagerDuty answers a body that is not JSON
        }
        if (body == null || !body.isObject()) {
            answer(exchange, null, 400, invalid("Event object is invalid", List.of("Malformed JSON or wrong Content-Type")));
            return;
        }
        List<String> errors = errors(body);
        if (!errors.isEmpty()) {
            answer(exchange, body, 400, invalid("Event object is invalid", errors));
            return;
        }
        String dedupKey = body.path("dedup_key").asText();
        if (body.path("event_action").asText().equals("trigger")) {
            openIncidents.put(dedupKey, body.path("payload").path("summary").asText());
        } else if (body.path("event_action").asText().equals("resolve")) {
            openIncidents.remove(dedupKey);
        }
        answer(exchange, body, 202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"" + dedupKey + "\"}");
    }

    private static List<String> errors(JsonNode body) {
        List<String> errors = new ArrayList<>();
        if (body.path("routing_key").asText("").length() != 32) {
            errors.add("Length of 'routing_key' is incorrect (should be 32 characters)");
        }
        String action = body.path("event_action").asText("");
        if (!Set.of("trigger", "acknowledge", "resolve").contains(action)) {
            errors.add("'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')");
        }
        if (!action.equals("trigger") && body.path("dedup_key").asText("").isEmpty()) {
            errors.add("'dedup_key' is missing or blank");
        }
        if (body.path("dedup_key").asText("").length() > 255) {
            errors.add("'dedup_key' is too long");
        }
        if (action.equals("trigger")) {
            JsonNode payload = body.path("payload");
            String summary = payload.path("summary").asText("");
            if (summary.isBlank() || summary.length() > 1024) {
                errors.add("'payload.summary' is missing, blank or longer than 1024 characters");
            }
            if (payload.path("source").asText("").isBlank()) {
                errors.add("'payload.source' is missing or blank");
            }
            if (!SEVERITIES.contains(payload.path("severity").asText(""))) {
                errors.add("'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')");
            }
        }
        return errors;
    }

    private String invalid(String message, List<String> errors) {
        return json.createObjectNode().put("status", "invalid event").put("message", message)
                .set("errors", json.valueToTree(errors)).toString();
    }

    private void answer(HttpExchange exchange, JsonNode body, int status, String answer) throws IOException {
        events.add(new Event(body, Instant.now(), status));
        JsonAnswer.send(exchange, status, "application/json", answer);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
