package dev.stagecoach.notifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagecoach.events.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/** Builds the plain delivery classes from the configuration. */
@Singleton
public class NotifierBeans {

    // One thread is plenty: it only waits out back-offs and starts the next asynchronous attempt.
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "notifier-retries");
        thread.setDaemon(true);
        return thread;
    });

    @Produces
    @Singleton
    DeliveryMetrics metrics(MeterRegistry registry) {
        return new DeliveryMetrics(registry);
    }

    @Produces
    @Singleton
    NotificationDispatcher dispatcher(NotifierConfig config, ObjectMapper json, DeliveryMetrics metrics) {
        HttpClient http = HttpClient.newBuilder()
                // HTTP/1.1 on purpose: an h2c upgrade attempt confuses some webhook receivers.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        ExponentialBackoff backoff = new ExponentialBackoff(config.initialBackoff(), config.maxBackoff(),
                () -> ThreadLocalRandom.current().nextDouble());
        WebhookDelivery webhooks = new WebhookDelivery(http, json, retries, backoff, config.maxAttempts(),
                config.requestTimeout(), metrics);
        return new NotificationDispatcher(Map.of(Channel.WEBHOOK, webhooks),
                new RecentlyDelivered(config.dedupeCapacity()), metrics);
    }

    @PreDestroy
    void stop() {
        retries.shutdownNow();
    }
}
