package dev.stagecoach.testkit.receivers;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Ends an exchange with a JSON body, as the API a fake stands for answers it. */
final class JsonAnswer {

    private JsonAnswer() {
    }

    /** @param contentType the Content-Type the real API sends, which differ in their charset parameter */
    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
