package dev.stagecoach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The scheduler's REST API, as the CLI uses it. */
final class ApiClient {

    /** An answer that is not a success, with the problems the server listed. */
    static final class ApiException extends RuntimeException {
        final int status;
        final List<String> problems;

        ApiException(int status, String message, List<String> problems) {
            super(message);
            this.status = status;
            this.problems = problems;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param token the API token to send as a bearer token; null sends none */
    ApiClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    JsonNode register(String yaml, String fileName) {
        return json(send(HttpRequest.newBuilder(uri("/api/pipelines?file=" + java.net.URLEncoder.encode(fileName, StandardCharsets.UTF_8)))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml))));
    }

    JsonNode start(String pipeline, Map<String, String> parameters, String requestedBy) {
        return start(pipeline, parameters, requestedBy, null);
    }

    /** @param idempotencyKey the same key starts the same run however often the request is sent; null: a new run each time */
    JsonNode start(String pipeline, Map<String, String> parameters, String requestedBy, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/pipelines/" + pipeline + "/runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(Map.of("parameters", parameters, "requestedBy", requestedBy))));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return json(send(request));
    }

    JsonNode run(String runId) {
        return json(send(HttpRequest.newBuilder(uri("/api/runs/" + runId)).GET()));
    }

    /** A page of runs; {@code query} holds the API's filters (pipeline, status, trigger, since, until, limit, cursor). */
    JsonNode runs(Map<String, String> query) {
        return json(send(HttpRequest.newBuilder(uri("/api/runs" + queryString(query))).GET()));
    }

    /** The newest audit entries, newest first; {@code query} holds the API's filters (since, pipeline, limit). */
    JsonNode audit(Map<String, String> query) {
        return json(send(HttpRequest.newBuilder(uri("/api/audit" + queryString(query))).GET()));
    }

    JsonNode pipelines() {
        return json(send(HttpRequest.newBuilder(uri("/api/pipelines")).GET()));
    }

    /** One attempt's kept lines (the latest, or {@code attempt}), or with no stage every attempt that printed. */
    JsonNode logs(String runId, String stage, Integer attempt) {
        Map<String, String> query = new java.util.LinkedHashMap<>();
        if (stage != null) {
            query.put("stage", stage);
        }
        if (attempt != null) {
            query.put("attempt", attempt.toString());
        }
        return json(send(HttpRequest.newBuilder(uri("/api/runs/" + runId + "/logs" + queryString(query))).GET()));
    }

    /**
     * Reads a server-sent event stream and hands each event's JSON to {@code each} until the
     * server ends it (a run's streams end with the run).
     */
    void follow(String path, java.util.function.Consumer<JsonNode> each) {
        follow(path, () -> { }, each);
    }

    /** @param opened called once the server has answered and the stream is open */
    void follow(String path, Runnable opened, java.util.function.Consumer<JsonNode> each) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<java.util.stream.Stream<String>> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (ConnectException e) {
            throw new ApiException(0, "cannot reach the scheduler at " + baseUrl, List.of());
        } catch (IOException e) {
            throw new ApiException(0, "talking to " + baseUrl + " failed: " + e, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted", List.of());
        }
        if (response.statusCode() >= 300) {
            throw new ApiException(response.statusCode(), "HTTP " + response.statusCode() + " from " + path, List.of());
        }
        opened.run();
        try (var lines = response.body()) {
            lines.filter(line -> line.startsWith("data:")).forEach(line -> each.accept(json(line.substring(5).trim())));
        }
    }

    private static String queryString(Map<String, String> query) {
        StringBuilder text = new StringBuilder();
        query.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                text.append(text.length() == 0 ? "?" : "&").append(name).append('=')
                        .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return text.toString();
    }

    String report(String runId) {
        return send(HttpRequest.newBuilder(uri("/api/runs/" + runId + "/report")).GET());
    }

    /** @param action cancel, approve, reject or resume; {@code stage} and {@code comment} may be null */
    JsonNode control(String runId, String action, String stage, String by, String comment) {
        Map<String, String> body = new java.util.HashMap<>();
        body.put("by", by);
        if (stage != null) {
            body.put("stage", stage);
        }
        if (comment != null) {
            body.put("comment", comment);
        }
        return json(send(HttpRequest.newBuilder(uri("/api/runs/" + runId + "/" + action))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body)))));
    }

    private String send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ApiException(0, "cannot reach the scheduler at " + baseUrl
                    + "; start it with `stagecoach up` or point --server at it", List.of());
        } catch (IOException e) {
            throw new ApiException(0, "talking to " + baseUrl + " failed: " + e, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted", List.of());
        }
        if (response.statusCode() >= 300) {
            String message = "HTTP " + response.statusCode();
            List<String> problems = new ArrayList<>();
            try {
                JsonNode body = JSON.readTree(response.body());
                message = body.path("error").asText(message);
                body.path("problems").forEach(p -> problems.add(p.asText()));
            } catch (IOException e) {
                message = message + ": " + response.body();
            }
            throw new ApiException(response.statusCode(), message, problems);
        }
        return response.body();
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ApiException(0, "the scheduler answered something that is not JSON: " + body, List.of());
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
