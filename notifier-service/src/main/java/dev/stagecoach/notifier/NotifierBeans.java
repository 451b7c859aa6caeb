package dev.stagecoach.notifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagecoach.events.Channel;
import dev.stagecoach.events.Notification;
import dev.stagecoach.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.reactive.ReactiveMailer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Builds the plain delivery classes from the configuration. */
@Singleton
public class NotifierBeans {

    private static final Logger LOG = Logger.getLogger(NotifierBeans.class);
    private static final String KAFKA_PREFIX = "kafka.";

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
    KafkaDeliveredLedger ledger(NotifierConfig notifier, Config config,
                                @ConfigProperty(name = "stagecoach.topic-prefix") String topicPrefix) {
        // The same client settings as the SmallRye channels get (kafka.*), security included.
        Map<String, Object> clients = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(KAFKA_PREFIX)) {
                config.getOptionalValue(name, String.class).ifPresent(value -> clients.put(name.substring(KAFKA_PREFIX.length()), value));
            }
        }
        return new KafkaDeliveredLedger(clients, new Topics(topicPrefix).notificationsDelivered(), notifier.dedupeCapacity(),
                Clock.systemUTC()).start();
    }

    void closeLedger(@Disposes KafkaDeliveredLedger ledger) {
        ledger.close();
    }

    @Produces
    @Singleton
    NotificationDispatcher dispatcher(NotifierConfig config, ObjectMapper json, DeliveryMetrics metrics, KafkaDeliveredLedger ledger,
                                      ReactiveMailer mailer,
                                      @ConfigProperty(name = "quarkus.mailer.from") Optional<String> mailFrom,
                                      @ConfigProperty(name = "quarkus.mailer.host", defaultValue = "localhost") String mailHost,
                                      @ConfigProperty(name = "quarkus.mailer.port") Optional<Integer> mailPort,
                                      @ConfigProperty(name = "stagecoach.public-url") String publicUrl) {
        HttpClient http = HttpClient.newBuilder()
                // HTTP/1.1 on purpose: an h2c upgrade attempt confuses some webhook receivers.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        ExponentialBackoff backoff = new ExponentialBackoff(config.initialBackoff(), config.maxBackoff(),
                () -> ThreadLocalRandom.current().nextDouble());
        RetryingAttempts attempts = new RetryingAttempts(retries, backoff, config.maxAttempts(), metrics);
        NotificationTemplates templates = new NotificationTemplates(config.templatesDir());
        Function<Notification, NotificationView> views = n -> NotificationView.of(n, publicUrl, config.dashboardLink());
        DeploymentSecrets secrets = new DeploymentSecrets(Map.of(), System::getenv);

        Map<Channel, ChannelDelivery> channels = new EnumMap<>(Channel.class);
        channels.put(Channel.WEBHOOK, new WebhookDelivery(http, json, retries, backoff, config.maxAttempts(),
                config.requestTimeout(), metrics));
        channels.put(Channel.EMAIL, new EmailDelivery(mailer, mailFrom, templates, views, attempts));
        channels.put(Channel.SLACK, new SlackDelivery(http, json, config.slack().token(), config.slack().apiUrl(), secrets,
                templates, views, attempts, config.requestTimeout()));
        channels.put(Channel.PAGERDUTY, new PagerDutyDelivery(http, json, config.pagerduty().eventsUrl(),
                config.pagerduty().routingKey(), secrets, templates, views, attempts, config.requestTimeout()));
        logChannels(channels, mailHost + mailPort.map(port -> ":" + port).orElse(""));
        return new NotificationDispatcher(channels, ledger, metrics);
    }

    /** One line at start: an operator sees which channels deliver, and what to set for the others. */
    private static void logChannels(Map<Channel, ChannelDelivery> channels, String smtpServer) {
        String ready = channels.entrySet().stream().filter(e -> e.getValue().missingSetting().isEmpty())
                .map(e -> name(e.getKey()) + (e.getKey() == Channel.EMAIL ? " (SMTP " + smtpServer + ")" : ""))
                .collect(Collectors.joining(", "));
        String missing = channels.entrySet().stream().filter(e -> e.getValue().missingSetting().isPresent())
                .map(e -> name(e.getKey()) + " needs " + e.getValue().missingSetting().get())
                .collect(Collectors.joining("; "));
        LOG.infof("notification channels ready: %s%s", ready, missing.isEmpty() ? "" : "; not configured: " + missing);
    }

    private static String name(Channel channel) {
        return channel.name().toLowerCase(Locale.ROOT);
    }

    @PreDestroy
    void stop() {
        retries.shutdownNow();
    }
}
