package dev.stagecoach.notifier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on 127.0.0.1 with endpoints that answer as a test tells them, and remember what they got. */
final class WebhookReceiver implements AutoCloseable {

    record Received(String method, Map<String, List<String>> headers, byte[] body, Instant at) {

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> String.join(",", entry.getValue()))
                    .findFirst()
                    .orElse(null);
        }
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private final List<ServerSocket> silent = new CopyOnWriteArrayList<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
        server.setExecutor(handlers);
        server.start();
    }

    static WebhookReceiver start() {
        try {
            return new WebhookReceiver(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An endpoint that answers the given statuses in turn, and the last one from then on. */
    String endpoint(String name, int... statuses) {
        List<Received> requests = new CopyOnWriteArrayList<>();
        received.put(name, requests);
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/" + name, exchange -> {
            requests.add(read(exchange));
            int call = calls.getAndIncrement();
            exchange.sendResponseHeaders(statuses[Math.min(call, statuses.length - 1)], -1);
            exchange.close();
        });
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    /** An endpoint that accepts connections and never answers: a hung receiver. */
    String silentEndpoint(String name) {
        try {
            ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            silent.add(socket);
            return "http://127.0.0.1:" + socket.getLocalPort() + "/" + name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An endpoint where nothing listens: every connection is refused. */
    static String refusedEndpoint(String name) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/" + name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Received> received(String name) {
        return new ArrayList<>(received.getOrDefault(name, List.of()));
    }

    private static Received read(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            return new Received(exchange.getRequestMethod(), Map.copyOf(exchange.getRequestHeaders()),
                    body.readAllBytes(), Instant.now());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        for (ServerSocket socket : silent) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket nobody accepted on cannot fail in a way that matters to a test
            }
        }
    }
}
