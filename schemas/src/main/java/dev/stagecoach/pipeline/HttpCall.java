package dev.stagecoach.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request of a {@code uses: http} stage, decoded from its {@code with} inputs once the
 * engine has rendered their interpolations. The loader has checked the inputs, so decoding
 * does not fail on a file that loaded.
 *
 * <p>{@link StageSpec#with()} holds text only, so two inputs are encoded: {@code headers} as
 * one {@code Name: value} line per header, as on the wire, and {@code expect_status} as
 * comma-separated codes, as a list parameter's default is.
 *
 * @param expectStatus the answers that count as success; empty: any 2xx
 */
public record HttpCall(String url, String method, Map<String, String> headers, String body, List<Integer> expectStatus) {

    public static final List<String> INPUTS = List.of("url", "method", "headers", "body", "expect_status");
    public static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    public static final String DEFAULT_METHOD = "GET";
    /** Inputs that may read secrets: the worker masks secret values wherever it logs or reports them, and neither is shown in plan. */
    public static final Set<String> SECRET_INPUTS = Set.of("headers", "body");

    public HttpCall {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        expectStatus = List.copyOf(expectStatus);
    }

    public static HttpCall of(Map<String, String> inputs) {
        String statuses = inputs.getOrDefault("expect_status", "");
        return new HttpCall(inputs.get("url"), inputs.getOrDefault("method", DEFAULT_METHOD),
                headers(inputs.getOrDefault("headers", "")), inputs.get("body"),
                statuses.isBlank() ? List.of() : Arrays.stream(statuses.split(",")).map(s -> Integer.valueOf(s.trim())).toList());
    }

    public boolean expects(int status) {
        return expectStatus.isEmpty() ? status >= 200 && status < 300 : expectStatus.contains(status);
    }

    /** The {@code headers} input as a mapping, in the order written. */
    public static Map<String, String> headers(String lines) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : lines.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    /** A mapping of headers as the {@code headers} input holds it. */
    public static String headerLines(Map<String, String> headers) {
        List<String> lines = new ArrayList<>();
        headers.forEach((name, value) -> lines.add(name + ": " + value));
        return String.join("\n", lines);
    }
}
