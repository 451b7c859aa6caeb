package dev.stagecoach.scheduler.triggers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagecoach.pipeline.expr.Expression;
import java.io.IOException;
import java.util.List;

/**
 * JSON that triggers read: a webhook's body as {@code payload.<path>}, an event record's value
 * as {@code event.<path>}. A path walks object fields and array indexes
 * ({@code payload.commits.0.id}); a text, number or boolean reads as its text, an object or
 * array as its JSON, and a path that leads nowhere (or to null) has no value.
 */
public final class JsonDocuments {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonDocuments() {
    }

    /** @throws IOException saying where the text stops being JSON */
    public static JsonNode parse(byte[] bytes) throws IOException {
        if (bytes == null || bytes.length == 0) {
            throw new IOException("it is empty");
        }
        JsonNode document = JSON.readTree(bytes);
        if (document == null || document.isMissingNode()) {
            throw new IOException("it holds no JSON value");
        }
        return document;
    }

    /** A short description of why {@link #parse} failed, without echoing the whole input back. */
    public static String problem(IOException e) {
        return e instanceof JsonProcessingException json ? json.getOriginalMessage()
                + (json.getLocation() == null ? "" : " at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr())
                : e.getMessage();
    }

    /** Lets expressions read {@code root.<path>} from {@code document}. */
    public static Expression.Context context(String root, JsonNode document) {
        return path -> {
            if (path.isEmpty() || !path.get(0).equals(root)) {
                return null;
            }
            JsonNode node = at(document, path.subList(1, path.size()));
            if (node == null || node.isNull() || node.isMissingNode()) {
                return null;
            }
            return node.isValueNode() ? node.asText() : node.toString();
        };
    }

    private static JsonNode at(JsonNode node, List<String> path) {
        for (String step : path) {
            if (node == null) {
                return null;
            }
            node = node.isArray() && step.matches("\\d{1,9}") ? node.get(Integer.parseInt(step)) : node.get(step);
        }
        return node;
    }
}
