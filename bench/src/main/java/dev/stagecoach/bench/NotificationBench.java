package dev.stagecoach.bench;

import com.sun.net.httpserver.HttpServer;
import dev.stagecoach.events.Channel;
import dev.stagecoach.events.Notification;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The notifier on its own: webhook notifications written to the notifications topic as the
 * engine writes them, delivered to an HTTP receiver in this process that answers 204 at once.
 * One at a time, the time from a record's send to its arrival at the receiver: reading it,
 * marking the delivery begun on the delivered topic, the POST. Then a burst, in notifications
 * per second, with the notifier's default number of deliveries in flight.
 */
final class NotificationBench implements AutoCloseable {

    record Notifications(Samples latency, int burst, double perSecond) {
    }

    private static final Duration ARRIVES_WITHIN = Duration.ofSeconds(30);

    private final Topic<Notification> topic = new Topics(Topics.DEFAULT_PREFIX).notifications();
    private final KafkaProducer<String, Notification> producer;
    private final HttpServer receiver;
    private final ExecutorService answering = Executors.newFixedThreadPool(8);
    private final Map<String, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
    private final String prefix = "bench-notify-" + System.currentTimeMillis();

    NotificationBench(BenchKafka kafka) {
        this.producer = new KafkaProducer<>(kafka.producerConfig(), topic.keySerde().serializer(), topic.valueSerde().serializer());
        try {
            receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        receiver.setExecutor(answering);
        receiver.createContext("/", exchange -> {
            long at = System.nanoTime();
            exchange.getRequestBody().readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            if (key != null) {
                arrival(key).complete(at);
            }
        });
        receiver.start();
    }

    Notifications measure(int warmup, int samples, int burst) {
        Samples latency = new Samples();
        for (int i = 0; i < warmup + samples; i++) {
            String id = prefix + ":one:" + i;
            CompletableFuture<Long> arrived = arrival(id);
            long sent = System.nanoTime();
            send(id);
            long at = arrived.orTimeout(ARRIVES_WITHIN.toMillis(), TimeUnit.MILLISECONDS).join();
            if (i >= warmup) {
                latency.add((at - sent) / 1e6);
            }
        }
        List<CompletableFuture<Long>> all = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            all.add(arrival(prefix + ":burst:" + i));
        }
        long began = System.nanoTime();
        for (int i = 0; i < burst; i++) {
            send(prefix + ":burst:" + i);
        }
        producer.flush();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .orTimeout(ARRIVES_WITHIN.toMillis() * 4, TimeUnit.MILLISECONDS).join();
        long last = all.stream().mapToLong(CompletableFuture::join).max().orElse(began);
        return new Notifications(latency, burst, burst / ((last - began) / 1e9));
    }

    private CompletableFuture<Long> arrival(String id) {
        return arrivals.computeIfAbsent(id, key -> new CompletableFuture<>());
    }

    private void send(String id) {
        String runId = id.substring(0, id.lastIndexOf(':'));
        Notification notification = Notification.newBuilder()
                .setDedupeId(id)
                .setRunId(runId)
                .setPipeline("bench")
                .setEvent("on_success")
                .setChannel(Channel.WEBHOOK)
                .setTarget("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")
                .setSubject("[stagecoach] bench run " + runId + " succeeded")
                .setBody("")
                .setRunStatus("SUCCEEDED")
                .setCreatedAt(Instant.now())
                .build();
        producer.send(new ProducerRecord<>(topic.name(), id, notification));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        receiver.stop(0);
        answering.shutdownNow();
    }
}
