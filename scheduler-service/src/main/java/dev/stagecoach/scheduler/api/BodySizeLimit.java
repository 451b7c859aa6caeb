package dev.stagecoach.scheduler.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a request whose body is larger than {@code quarkus.http.limits.max-body-size} with
 * 413 and a JSON error that names the limit, in the API's error format. Quarkus enforces the
 * same limit just after this (route order -2), with an empty 413; this one goes first so that a
 * caller learns what was wrong. A chunked body without a Content-Length is still cut off by
 * Quarkus when it crosses the limit.
 */
@ApplicationScoped
public class BodySizeLimit {

    static final String SETTING = "quarkus.http.limits.max-body-size";
    private static final int BEFORE_QUARKUS_LIMIT = -3;

    @ConfigProperty(name = SETTING)
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        router.route().order(BEFORE_QUARKUS_LIMIT).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long limit = maxBodySize.asLongValue();
        if (length != null && tooLong(length, limit)) {
            String error = "the request body is " + length.strip() + " bytes; at most " + limit + " are accepted (" + SETTING + ")";
            context.response().setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    // The body that follows is not read; closing spares reading it to reuse the connection.
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(new JsonObject().put("error", error).put("problems", new JsonArray()).encode());
            return;
        }
        context.next();
    }

    private static boolean tooLong(String length, long limit) {
        try {
            return Long.parseLong(length.strip()) > limit;
        } catch (NumberFormatException e) {
            // Not ours to judge: Vert.x refuses a malformed Content-Length itself.
            return false;
        }
    }
}
