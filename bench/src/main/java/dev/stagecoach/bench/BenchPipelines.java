package dev.stagecoach.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The pipelines the bench runs, all of `noop` stages, registered through the scheduler's REST API. */
final class BenchPipelines {

    static final String HANDOFF = "bench-handoff";
    static final String THROUGHPUT = "bench-throughput";
    static final String FANOUT = "bench-fanout";
    static final String SINGLE = "bench-single";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String schedulerUrl;
    private final String token;

    BenchPipelines(String schedulerUrl, String token) {
        this.schedulerUrl = schedulerUrl;
        this.token = token;
    }

    /** Stage names s01, s02, ...: sortable, and the number is the position. */
    static String stageName(int position, int count) {
        return String.format("s%0" + Integer.toString(count).length() + "d", position);
    }

    /** The position of a stage named by {@link #stageName}, from 1, or of shard {@code s1#i} of the fan-out stage (i + 1). */
    static int position(String stageName) {
        int shard = stageName.indexOf('#');
        return shard < 0 ? Integer.parseInt(stageName.substring(1)) : Integer.parseInt(stageName.substring(shard + 1)) + 1;
    }

    static String sequential(String name, int stages) {
        return pipeline(name, "sequential", null, stages);
    }

    /** One noop stage fanned out into shards {@code s1#0} ... {@code s1#<shards - 1>}. */
    static String fanout(String name, int shards, int parallelWorkers) {
        return "pipeline:\n"
                + "  name: " + name + "\n"
                + "  options:\n"
                + "    timeout: 30m\n"
                + "    parallel_workers: " + parallelWorkers + "\n"
                + "  stages:\n"
                + "    - name: s1\n"
                + "      uses: noop\n"
                + "      parallel: " + shards + "\n";
    }

    private static String pipeline(String name, String type, Integer parallelWorkers, int stages) {
        StringBuilder yaml = new StringBuilder()
                .append("pipeline:\n")
                .append("  name: ").append(name).append('\n')
                .append("  type: ").append(type).append('\n')
                .append("  options:\n")
                .append("    timeout: 30m\n");
        if (parallelWorkers != null) {
            yaml.append("    parallel_workers: ").append(parallelWorkers).append('\n');
        }
        yaml.append("  stages:\n");
        for (int i = 1; i <= stages; i++) {
            yaml.append("    - name: ").append(stageName(i, stages)).append('\n')
                    .append("      uses: noop\n");
        }
        return yaml.toString();
    }

    void register(String yaml, String name) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(schedulerUrl + "/api/pipelines?file="
                        + URLEncoder.encode(name + ".yaml", StandardCharsets.UTF_8)))
                .header("Content-Type", "application/yaml")
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(yaml))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("the scheduler refused pipeline " + name + ": HTTP "
                        + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot register pipeline " + name + " at " + schedulerUrl + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering " + name, e);
        }
    }
}
