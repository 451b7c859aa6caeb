package dev.stagecoach.testkit.receivers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A real HTTP server that checks requests as Slack's Web API and an incoming webhook do, and
 * answers as they do: HTTP 200 with {@code ok: false} and Slack's error for what is wrong, 429
 * with {@code Retry-After} while rate limited. Of the Web API it has {@code chat.postMessage}
 * (POST, JSON) and, over what was posted, {@code conversations.list} and
 * {@code conversations.history} (GET with query arguments, metadata only when asked for,
 * cursor pages), each needing its scope.
 */
public final class FakeSlack implements AutoCloseable {

    public static final String TOKEN = "xoxb-test-token";
    public static final String WEBHOOK_PATH = "/services/T0001/B0001/abcdefghijklmnopqrstuvwx";
    private static final Set<String> BLOCK_TYPES = Set.of("section", "actions", "context", "header", "divider");

    /** A request Slack accepted, or refused with {@code error}. */
    public record Request(String path, String authorization, JsonNode body, Instant at, String error) {
    }

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** A message as Slack keeps it in a channel's history. */
    public record Posted(String channelId, String ts, JsonNode body) {
    }

    private final Map<String, String> idsByName;
    private final List<Posted> history = new CopyOnWriteArrayList<>();
    private final AtomicInteger rateLimitedFor = new AtomicInteger();
    private final Clock clock;
    /** The last message's timestamp in microseconds: Slack's "seconds.micros" are the time of the post, unique here. */
    private final AtomicLong lastTs = new AtomicLong();
    private volatile int retryAfterSeconds = 1;
    private volatile Duration answerAfter = Duration.ZERO;
    private volatile CountDownLatch held = new CountDownLatch(0);
    // No groups:read: conversations.list of private channels is refused, as Slack does.
    private volatile Set<String> scopes = Set.of("chat:write", "channels:read", "channels:history");

    /** @param idsByName the workspace's channels, name (without #) to id */
    public FakeSlack(Map<String, String> idsByName) {
        this(idsByName, Clock.systemUTC());
    }

    /** @param clock the time a message is posted at, which its {@code ts} says */
    public FakeSlack(Map<String, String> idsByName, Clock clock) {
        this.idsByName = Map.copyOf(idsByName);
        this.clock = clock;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/", this::webApi);
        server.createContext("/services/", this::incomingWebhook);
        server.start();
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    public String webhookUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + WEBHOOK_PATH;
    }

    /** The next {@code requests} are answered 429 with {@code Retry-After: seconds}. */
    public void rateLimit(int requests, int seconds) {
        retryAfterSeconds = seconds;
        rateLimitedFor.set(requests);
    }

    /**
     * A slow Slack: each message is kept at once and answered this much later, the window in
     * which a notifier that dies has posted without knowing it.
     */
    public void answerAfter(Duration delay) {
        this.answerAfter = delay;
    }

    /**
     * Messages posted from now on are kept and not answered until {@link #releaseAnswers()}:
     * a notifier can be killed while Slack has its message and it does not know. Everything
     * else waits too, as this server answers one request at a time.
     */
    public void holdAnswers() {
        held = new CountDownLatch(1);
    }

    public void releaseAnswers() {
        held.countDown();
    }

    /** The bot's scopes from now on. */
    public void grant(String... scopes) {
        this.scopes = Set.of(scopes);
    }

    public List<Posted> history() {
        return List.copyOf(history);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> accepted() {
        return requests.stream().filter(r -> r.error() == null).toList();
    }

    private void webApi(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String method = path.substring("/api/".length());
        if (!Set.of("chat.postMessage", "conversations.list", "conversations.history").contains(method)) {
            answer(exchange, path, authorization, null, 200, "unknown_method");
            return;
        }
        boolean post = method.equals("chat.postMessage");
        if (!(post ? "POST" : "GET").equals(exchange.getRequestMethod())) {
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
        String scope = switch (method) {
            case "chat.postMessage" -> "chat:write";
            case "conversations.list" -> "channels:read";
            default -> "channels:history";
        };
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        boolean privateChannels = method.equals("conversations.list")
                && List.of(query.getOrDefault("types", "public_channel").split(",")).contains("private_channel");
        if (!scopes.contains(scope) || privateChannels && !scopes.contains("groups:read")) {
            answer(exchange, path, authorization, null, 200, "missing_scope");
            return;
        }
        if (!post) {
            ObjectNode page = method.equals("conversations.list") ? channelList(query) : channelHistory(query);
            requests.add(new Request(path, authorization, page, Instant.now(), page.path("ok").asBoolean() ? null : page.path("error").asText()));
            send(exchange, 200, page.toString());
            return;
        }
        JsonNode body = jsonBody(exchange, raw);
        if (body == null) {
            answer(exchange, path, authorization, null, 200, "invalid_json");
            return;
        }
        String channelId = channelId(body.path("channel").asText(""));
        String error = channelId == null ? "channel_not_found" : messageError(body);
        if (error != null) {
            answer(exchange, path, authorization, body, 200, error);
            return;
        }
        long now = ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant());
        long micros = lastTs.updateAndGet(last -> Math.max(last + 1, now));
        String ts = String.format("%d.%06d", micros / 1_000_000, micros % 1_000_000);
        history.add(new Posted(channelId, ts, body));
        requests.add(new Request(path, authorization, body, Instant.now(), null));
        LockSupport.parkNanos(answerAfter.toNanos());
        awaitRelease();
        send(exchange, 200, json.createObjectNode().put("ok", true).put("channel", channelId).put("ts", ts).toString());
    }

    private void awaitRelease() {
        try {
            if (!held.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("answers held for two minutes: a test forgot releaseAnswers()");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code #name} or an id, as chat.postMessage takes them. */
    private String channelId(String channel) {
        if (channel.startsWith("#")) {
            return idsByName.get(channel.substring(1));
        }
        return idsByName.containsValue(channel) ? channel : null;
    }

    private ObjectNode channelList(Map<String, String> query) {
        ObjectNode page = json.createObjectNode().put("ok", true);
        var channels = page.putArray("channels");
        // One channel per page, so that following the cursor is needed.
        List<String> names = idsByName.keySet().stream().sorted().toList();
        int from = Integer.parseInt(query.getOrDefault("cursor", "0"));
        if (from < names.size()) {
            channels.addObject().put("id", idsByName.get(names.get(from))).put("name", names.get(from));
        }
        page.putObject("response_metadata").put("next_cursor", from + 1 < names.size() ? Integer.toString(from + 1) : "");
        return page;
    }

    private ObjectNode channelHistory(Map<String, String> query) {
        String channel = query.getOrDefault("channel", "");
        if (!idsByName.containsValue(channel)) {
            return json.createObjectNode().put("ok", false).put("error", "channel_not_found");
        }
        BigDecimal oldest = new BigDecimal(query.getOrDefault("oldest", "0"));
        boolean metadata = "true".equals(query.get("include_all_metadata"));
        int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
        int from = Integer.parseInt(query.getOrDefault("cursor", "0"));
        // Newest first, as Slack lists them.
        List<Posted> messages = history.stream().filter(m -> m.channelId().equals(channel))
                .filter(m -> new BigDecimal(m.ts()).compareTo(oldest) > 0)
                .sorted(Comparator.comparing((Posted m) -> new BigDecimal(m.ts())).reversed()).toList();
        ObjectNode page = json.createObjectNode().put("ok", true);
        var listed = page.putArray("messages");
        messages.stream().skip(from).limit(limit).forEach(m -> {
            ObjectNode message = listed.addObject().put("type", "message").put("ts", m.ts()).put("text", m.body().path("text").asText());
            if (metadata && m.body().has("metadata")) {
                message.set("metadata", m.body().get("metadata"));
            }
        });
        boolean more = from + limit < messages.size();
        page.put("has_more", more);
        page.putObject("response_metadata").put("next_cursor", more ? Integer.toString(from + limit) : "");
        return page;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> arguments = new java.util.HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                arguments.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return arguments;
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
        send(exchange, status, "{\"ok\":false,\"error\":\"" + error + "\"}");
    }

    private static void send(HttpExchange exchange, int status, String answer) throws IOException {
        JsonAnswer.send(exchange, status, "application/json; charset=utf-8", answer);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
