package dev.stagecoach.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Finds a message the notifier posted, by the dedupe id in its metadata
 * ({@code event_type: stagecoach_notification}), in a channel's history since a delivery began:
 * how a notifier killed under way learns whether its post arrived. Needs the bot scopes
 * {@code channels:history} and {@code channels:read} ({@code groups:*} for private channels);
 * any answer but a page of history fails the stage with Slack's reason, and the caller posts again.
 */
final class SlackHistory {

    static final String EVENT_TYPE = "stagecoach_notification";
    /** Slack's clock and ours may differ; a message is looked for from a little before the delivery began. */
    private static final Duration CLOCK_SLACK = Duration.ofMinutes(1);
    private static final int PAGE = 200;
    private static final int MAX_PAGES = 5;
    private static final int MAX_RATE_LIMITED = 3;
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

    private final HttpClient http;
    private final ObjectMapper json;
    private final String apiUrl;
    private final String token;
    private final Duration requestTimeout;
    private final Map<String, String> channelIds = new ConcurrentHashMap<>();

    SlackHistory(HttpClient http, ObjectMapper json, String apiUrl, String token, Duration requestTimeout) {
        this.http = http;
        this.json = json;
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
        this.token = token;
        this.requestTimeout = requestTimeout;
    }

    /** @return the message's timestamp, or empty when the channel has no such message since {@code since} */
    CompletionStage<Optional<String>> find(String channel, String dedupeId, Instant since) {
        String oldest = Long.toString(since.minus(CLOCK_SLACK).getEpochSecond());
        return channelId(channel).thenCompose(id -> historyPage(id, dedupeId, oldest, "", 1));
    }

    private CompletionStage<String> channelId(String channel) {
        if (!channel.startsWith("#")) {
            return CompletableFuture.completedFuture(channel);
        }
        String known = channelIds.get(channel);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        // Private channels are listed only with groups:read; a bot without it still finds public ones.
        return listPage(channel, "public_channel,private_channel", "", 1).exceptionallyCompose(error ->
                Failures.cause(error) instanceof SlackLookupFailed failed && "missing_scope".equals(failed.error)
                        ? listPage(channel, "public_channel", "", 1) : CompletableFuture.failedFuture(error));
    }

    private CompletionStage<String> listPage(String channel, String types, String cursor, int page) {
        return call("conversations.list", Map.of("types", types, "exclude_archived", "true",
                "limit", Integer.toString(PAGE), "cursor", cursor), 0).thenCompose(answer -> {
            for (JsonNode found : answer.path("channels")) {
                channelIds.put("#" + found.path("name").asText(), found.path("id").asText());
            }
            String id = channelIds.get(channel);
            if (id != null) {
                return CompletableFuture.completedFuture(id);
            }
            String next = nextCursor(answer);
            if (next.isEmpty() || page >= MAX_PAGES) {
                throw new SlackLookupFailed("conversations.list does not show " + channel + " to the bot", "");
            }
            return listPage(channel, types, next, page + 1);
        });
    }

    private CompletionStage<Optional<String>> historyPage(String channelId, String dedupeId, String oldest, String cursor, int page) {
        return call("conversations.history", Map.of("channel", channelId, "oldest", oldest, "include_all_metadata", "true",
                "limit", Integer.toString(PAGE), "cursor", cursor), 0).thenCompose(answer -> {
            for (JsonNode message : answer.path("messages")) {
                JsonNode metadata = message.path("metadata");
                if (EVENT_TYPE.equals(metadata.path("event_type").asText())
                        && dedupeId.equals(metadata.path("event_payload").path("dedupe_id").asText())) {
                    return CompletableFuture.completedFuture(Optional.of(message.path("ts").asText()));
                }
            }
            String next = nextCursor(answer);
            if (next.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<String>empty());
            }
            if (page >= MAX_PAGES) {
                throw new SlackLookupFailed("more than " + MAX_PAGES * PAGE + " messages since the delivery began", "");
            }
            return historyPage(channelId, dedupeId, oldest, next, page + 1);
        });
    }

    private CompletionStage<JsonNode> call(String method, Map<String, String> arguments, int rateLimited) {
        String query = arguments.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .sorted().collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + method + "?" + query))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(response -> {
            if (response.statusCode() == 429 && rateLimited < MAX_RATE_LIMITED) {
                Duration wait = AttemptAnswer.retryAfter(response).filter(d -> d.compareTo(MAX_RETRY_AFTER) <= 0)
                        .orElse(Duration.ofSeconds(1));
                return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS))
                        .thenCompose(ignored -> call(method, arguments, rateLimited + 1));
            }
            return CompletableFuture.completedFuture(answer(method, response));
        });
    }

    private JsonNode answer(String method, HttpResponse<String> response) {
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.path("ok").asBoolean(false)) {
            String error = answer == null ? "HTTP " + response.statusCode() : answer.path("error").asText("HTTP " + response.statusCode());
            throw new SlackLookupFailed(method + " answered " + error + ("missing_scope".equals(error)
                    ? ": give the bot channels:history and channels:read (groups:history and groups:read for private channels)" : ""),
                    error);
        }
        return answer;
    }

    private static String nextCursor(JsonNode answer) {
        return answer.path("response_metadata").path("next_cursor").asText("");
    }

    /** Slack could not say whether it has the message. */
    static final class SlackLookupFailed extends RuntimeException {

        /** Slack's own error code, empty when Slack answered but not what was looked for. */
        final String error;

        SlackLookupFailed(String message, String error) {
            super(message, null, false, false);
            this.error = error;
        }
    }
}
