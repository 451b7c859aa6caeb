package dev.stagecoach.scheduler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server standing in for the owning instance. */
class RunForwarderTest {

    HttpServer owner;
    final AtomicReference<Map<String, String>> seen = new AtomicReference<>();

    @BeforeEach
    void startOwner() throws IOException {
        owner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        owner.createContext("/api/runs/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.set(Map.of(
                    "method", exchange.getRequestMethod(),
                    "path", exchange.getRequestURI().toString(),
                    "authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                    "forwardedBy", String.valueOf(exchange.getRequestHeaders().getFirst(RunForwarder.FORWARDED_BY)),
                    "cookie", String.valueOf(exchange.getRequestHeaders().getFirst("Cookie")),
                    "body", body));
            byte[] answer = "{\"error\":\"stage \\\"deploy\\\" does not wait for approval\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add(RunForwarder.ANSWERED_BY, "sched-b-8080");
            exchange.getResponseHeaders().add("Set-Cookie", "not=passed");
            exchange.sendResponseHeaders(409, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        owner.start();
    }

    @AfterEach
    void stopOwner() {
        owner.stop(0);
    }

    @Test
    void ownerGetsTheSameRequestWithTheCallersTokenAndTheCallerGetsTheOwnersAnswer() throws Exception {
        RunForwarder forwarder = new RunForwarder("sched-a-8080", Duration.ofSeconds(2));

        RunForwarder.Answer answer = forwarder.forward(new HostInfo("127.0.0.1", owner.getAddress().getPort()), "POST",
                "/api/runs/r-1/approve?x=1", Map.of("Authorization", "Bearer t0k3n", "Content-Type", "application/json",
                        "Cookie", "session=1"), "{\"stage\":\"deploy\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(seen.get()).containsEntry("method", "POST").containsEntry("path", "/api/runs/r-1/approve?x=1")
                .containsEntry("authorization", "Bearer t0k3n").containsEntry("forwardedBy", "sched-a-8080")
                .containsEntry("cookie", "null").containsEntry("body", "{\"stage\":\"deploy\"}");
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.headers()).containsEntry("Content-Type", "application/json")
                .containsEntry(RunForwarder.ANSWERED_BY, "sched-b-8080").doesNotContainKey("Set-Cookie");
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("does not wait for approval");
    }

    @Test
    void ownerThatIsGoneIsReportedAsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RunForwarder forwarder = new RunForwarder("sched-a-8080", Duration.ofSeconds(2));

        assertThatThrownBy(() -> forwarder.forward(new HostInfo("127.0.0.1", closedPort), "GET", "/api/runs/r-1", Map.of(), null))
                .isInstanceOf(RunForwarder.OwnerUnreachableException.class)
                .hasMessageContaining("ConnectException");
    }
}
